import Testing
import Word2Vec

/// Workers' private copies of the rows nearest the Huffman root must hand every worker's changes to
/// the shared matrix, and leave the other rows where they are.
@Suite struct ReplicatedRowsTests {
    @Test func mergesAddEveryWorkersChanges() {
        let matrix = Matrix(rows: 10, columns: 4)
        let a = ReplicatedRows(lastRowsOf: matrix, count: 3, interval: 1000)
        let b = ReplicatedRows(lastRowsOf: matrix, count: 3, interval: 1000)
        // Rows below the replicated ones are the shared rows themselves.
        #expect(a.row(6, of: matrix.storage) == matrix.storage + 6 * 4)
        #expect(a.row(9, of: matrix.storage) != matrix.storage + 9 * 4)
        a.row(9, of: matrix.storage)[0] += 1
        b.row(9, of: matrix.storage)[0] += 2
        b.row(7, of: matrix.storage)[3] -= 5
        a.row(6, of: matrix.storage)[1] = 4
        // Not merged yet: the shared replicated rows are unchanged, the direct write is there.
        #expect(matrix.storage[9 * 4] == 0 && matrix.storage[6 * 4 + 1] == 4)
        a.merge()
        #expect(matrix.storage[9 * 4] == 1)
        b.finish()
        #expect(matrix.storage[9 * 4] == 3)
        #expect(matrix.storage[7 * 4 + 3] == -5)
        // After its merge a worker sees the others' changes.
        a.merge()
        #expect(a.row(9, of: matrix.storage)[0] == 3)
        #expect(a.row(7, of: matrix.storage)[3] == -5)
        a.finish()
        #expect(matrix.storage[9 * 4] == 3)
    }

    @Test func mergesEveryIntervalPredictions() {
        let matrix = Matrix(rows: 5, columns: 2)
        let replica = ReplicatedRows(lastRowsOf: matrix, count: 2, interval: 3)
        replica.row(4, of: matrix.storage)[1] = 7
        replica.predicted()
        replica.predicted()
        #expect(matrix.storage[4 * 2 + 1] == 0)
        replica.predicted()
        #expect(matrix.storage[4 * 2 + 1] == 7)
        replica.finish()
    }
}
