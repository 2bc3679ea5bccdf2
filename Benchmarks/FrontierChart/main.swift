import Foundation
import Word2VecPlotting

// frontier-chart OUTPUT.svg < CHART.json: draws the chart Benchmarks/frontier.py describes, with the
// library's LineChart, so that the pictures in docs/ come from our own plotting code.

struct ChartSpecification: Decodable {
    var title: String?
    var xTitle: String
    var yTitle: String
    var series: [LineChart.Series]
    var guides: [LineChart.Guide]
}

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: frontier-chart OUTPUT.svg < CHART.json\n".utf8))
    exit(2)
}
do {
    let specification = try JSONDecoder().decode(ChartSpecification.self, from: FileHandle.standardInput.readDataToEndOfFile())
    var chart = LineChart(title: specification.title, xTitle: specification.xTitle, yTitle: specification.yTitle)
    chart.series = specification.series
    chart.guides = specification.guides
    try chart.write(to: CommandLine.arguments[1])
} catch {
    FileHandle.standardError.write(Data("frontier-chart: error: \(error)\n".utf8))
    exit(1)
}
