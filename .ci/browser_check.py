#!/usr/bin/env python3
"""The page of `word2vec serve` in a real browser: headless Chromium (Debian's `chromium`, installed
here when absent) loads http://127.0.0.1:PORT/, a word is TYPED into the word box key by key over the
DevTools protocol, completion must offer what /v1/complete answers, Enter must show the neighbours
that /v1/similar answers (words and scores read from the DOM) and a map of them; `/?q=word` must open
with that word's neighbours shown; the analogy and history forms must show an answer or the route's
error. The browser may reach nothing but 127.0.0.1, and any script error fails the check.

    .build/venv/bin/python .ci/browser_check.py .build/release/word2vec

Trains a small model on gensim's copy of the Lee corpus (gensim is in the venv the test command
makes), keeps a screenshot in .build/browser/page.png, and exits non-zero with a reason otherwise.
Needs websocket-client (the test command installs it in the venv)."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, ".build", "browser")
WORD = "government"   # typed; frequent in the Lee corpus
LINKED = "police"     # opened as /?q=police


def fail(message):
    print(f"browser check: FAILED: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def log(message):
    print(f"browser check: {message}", file=sys.stderr, flush=True)


def chromium_binary():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0:
        fail("chromium is not installed and this is not root: apt-get install -y chromium")
    log("installing Debian's chromium (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env,
                      stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return shutil.which("chromium") or fail("apt-get installed no chromium binary")


def small_model(binary):
    """A skip-gram model of the Lee background corpus (about 60k words, a few seconds), trained by
    this binary every time: a model left by an older build could fail for reasons of its own."""
    model = os.path.join(OUT, "lee.w2v")
    import gensim.test.utils
    corpus = gensim.test.utils.datapath("lee_background.cor")
    subprocess.run([binary, "train", "--input", corpus, "--save-model", model, "--lowercase",
                    "--model", "skipgram", "--dim", "50", "--epochs", "15", "--min-count", "3",
                    "--threads", "2", "--quiet"], check=True)
    return model


def get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.load(error)
        except ValueError:
            return error.code, None


class Server:
    def __init__(self, binary, model):
        self.process = subprocess.Popen([binary, "serve", model, "--host", "127.0.0.1", "--port", "0"],
                                        stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.stop()
            fail(f"serve did not report its address (got {line!r})")
        self.base = f"http://127.0.0.1:{found.group(1)}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                fail("serve did not stop within 10 s of SIGTERM")


class Browser:
    """Headless Chromium driven over the DevTools protocol (one page target)."""

    def __init__(self, executable):
        import websocket
        self.profile = tempfile.mkdtemp(prefix="w2v-chromium-")
        self.process = subprocess.Popen([
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            # Nothing but loopback resolves: the page must need no network.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "--window-size=1280,1000",
            "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if time.time() > deadline or self.process.poll() is not None:
                self.close()
                fail("chromium did not open its DevTools port within 30 s")
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [t for t in json.load(response) if t["type"] == "page"]
        if not pages:
            self.close()
            fail("chromium has no page target")
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30,
                                                  suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Log.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1,
                  mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    fail(f"DevTools {method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            fail(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def script_errors(self):
        errors = [e["params"]["exceptionDetails"] for e in self.events if e.get("method") == "Runtime.exceptionThrown"]
        # Network entries are the 4xx answers the checks ask for; the rest (a refused resource, a
        # content security policy violation) mean a broken page.
        errors += [e["params"]["entry"] for e in self.events
                   if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"
                   and e["params"]["entry"].get("source") != "network"]
        return errors

    def open(self, url):
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && typeof search === 'function'", f"{url} to load")

    def wait_for(self, condition, what, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.evaluate(f"Boolean({condition})"):
                return
            time.sleep(0.05)
        fail(f"timed out after {seconds} s waiting for {what}")

    def key(self, text, code=None, key=None):
        """One key press as a user makes it: keyDown (with its text, which types it), keyUp."""
        down = {"type": "keyDown", "key": key or text, "text": text}
        if code:
            down.update(windowsVirtualKeyCode=code, nativeVirtualKeyCode=code, code=key)
        self.call("Input.dispatchKeyEvent", **down)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key or text,
                  **({"windowsVirtualKeyCode": code, "code": key} if code else {}))

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        try:
            self.socket.close()
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


RENDERED = """JSON.stringify([...document.querySelectorAll('#LIST li')].map(li => ({
    word: li.dataset.word, score: li.dataset.score, shown: li.querySelector('.word').textContent,
    scoreText: li.querySelector('.score').textContent})))"""


def check_ranking(browser, list_id, expected, what):
    rendered = json.loads(browser.evaluate(RENDERED.replace("LIST", list_id)))
    words = [n["word"] for n in expected]
    if [r["word"] for r in rendered] != words or [r["shown"] for r in rendered] != words:
        fail(f"{what}: the page shows {[r['shown'] for r in rendered]}, the route answers {words}")
    for r, n in zip(rendered, expected):
        if float(r["score"]) != float(n["score"]) or r["scoreText"] != f"{n['score']:.3f}":
            fail(f"{what}: {r['word']} shown with score {r['score']} ({r['scoreText']}), the route says {n['score']}")
    return words


def main():
    if len(sys.argv) != 2:
        fail("usage: browser_check.py PATH/TO/word2vec")
    binary = os.path.abspath(sys.argv[1])
    os.makedirs(OUT, exist_ok=True)
    started = time.time()
    executable = chromium_binary()
    model = small_model(binary)
    server = Server(binary, model)
    browser = None
    try:
        browser = Browser(executable)
        top = 12
        browser.open(server.base + "/")

        # Type the word's first letters: the completion list must show what /v1/complete answers.
        browser.evaluate("document.getElementById('word').focus()")
        prefix = WORD[:4]
        for character in prefix:
            browser.key(character)
        _, completion = get_json(f"{server.base}/v1/complete?prefix={prefix}&top=8")
        if WORD not in completion["words"]:
            fail(f"/v1/complete?prefix={prefix} does not offer {WORD}: {completion}")
        browser.wait_for("document.querySelectorAll('#suggestions li').length > 0", "completion suggestions")
        offered = browser.evaluate("[...document.querySelectorAll('#suggestions li')].map(li => li.textContent)")
        if offered != completion["words"]:
            fail(f"the page offers {offered} for '{prefix}', /v1/complete answers {completion['words']}")

        # The rest of the word, then Enter.
        for character in WORD[len(prefix):]:
            browser.key(character)
        browser.key("\r", code=13, key="Enter")
        browser.wait_for("['done', 'error'].includes(document.getElementById('neighbours').dataset.state)",
                         "the neighbours after Enter")
        status, expected = get_json(f"{server.base}/v1/similar?positive={WORD}&top={top}")
        if status != 200 or len(expected["neighbours"]) != top:
            fail(f"/v1/similar?positive={WORD}: HTTP {status} {expected}")
        if browser.evaluate("document.getElementById('neighbours').dataset.state") != "done":
            fail(f"the page shows no neighbours for {WORD}: {browser.evaluate('document.getElementById(`status`).textContent')}")
        shown = check_ranking(browser, "neighbours", expected["neighbours"], f"typed '{WORD}'")
        if browser.evaluate("location.search") != f"?q={WORD}":
            fail(f"the address is not ?q={WORD} after the search: {browser.evaluate('location.search')}")
        browser.wait_for("document.getElementById('map').dataset.state === 'done'", "the map")
        labels = browser.evaluate("[...document.querySelectorAll('#map svg text')].map(t => t.dataset.word)")
        if labels != [WORD] + shown:
            fail(f"the map labels {labels}, expected {[WORD] + shown}")
        log(f"typed '{WORD}': {len(shown)} neighbours as /v1/similar answers ({', '.join(shown[:5])}, ...), map drawn")

        # The analogy form: the route's answer, or its error shown (until /v1/analogy exists: 404).
        for field, word in zip("abc", ["man", "police", "woman"]):
            browser.evaluate(f"document.getElementById('analogy-{field}').value = '{word}'")
        browser.evaluate("document.querySelector('#analogy button').click()")
        browser.wait_for("['done', 'error', 'empty'].includes(document.getElementById('analogy-results').dataset.state)",
                         "the analogy answer")
        status, analogy = get_json(f"{server.base}/v1/analogy?a=man&b=police&c=woman&top={top}")
        if status == 200:
            shown = check_ranking(browser, "analogy-results", analogy["neighbours"], "analogy man : police :: woman : ?")
            log(f"analogy form: {len(shown)} answers as /v1/analogy gives them")
        else:
            shown = browser.evaluate("document.getElementById('analogy-error').textContent")
            if not shown:
                fail(f"/v1/analogy answered HTTP {status} and the page shows no error")
            log(f"analogy form: /v1/analogy answered HTTP {status}; the page shows '{shown}'")

        # The history box: POST /v1/recommend's answer, or its error.
        browser.evaluate("document.getElementById('history').value = 'court, police, charged'")
        browser.evaluate("document.querySelector('#recommend button').click()")
        browser.wait_for("['done', 'error', 'empty'].includes(document.getElementById('recommendations').dataset.state)",
                         "the recommendations")
        request = urllib.request.Request(f"{server.base}/v1/recommend", method="POST",
                                         data=json.dumps({"history": ["court", "police", "charged"], "top": top}).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                shown = check_ranking(browser, "recommendations", json.load(response)["neighbours"], "recommend")
            log(f"history box: {len(shown)} recommendations as POST /v1/recommend gives them")
        except urllib.error.HTTPError as error:
            shown = browser.evaluate("document.getElementById('recommend-error').textContent")
            if not shown:
                fail(f"POST /v1/recommend answered HTTP {error.code} and the page shows no error")
            log(f"history box: POST /v1/recommend answered HTTP {error.code}; the page shows '{shown}'")

        # An unknown word: the route's error must be on the page.
        browser.evaluate("document.getElementById('word').value = 'qqqnosuchword'")
        browser.evaluate("document.getElementById('search').requestSubmit()")
        browser.wait_for("document.getElementById('neighbours').dataset.state === 'error'", "the unknown word's error")
        if "qqqnosuchword" not in browser.evaluate("document.getElementById('status').textContent"):
            fail("the page does not show the error naming an unknown word")

        # A link: /?q=word opens with that word's neighbours shown.
        browser.open(f"{server.base}/?q={LINKED}")
        browser.wait_for("document.getElementById('neighbours').dataset.state === 'done' && "
                         "document.getElementById('map').dataset.state === 'done'", f"/?q={LINKED}")
        _, linked = get_json(f"{server.base}/v1/similar?positive={LINKED}&top={top}")
        check_ranking(browser, "neighbours", linked["neighbours"], f"/?q={LINKED}")

        errors = browser.script_errors()
        if errors:
            fail(f"script errors on the page: {errors}")
        # The picture of the typed search, for people: the linked view is the same page.
        browser.open(f"{server.base}/?q={WORD}")
        browser.wait_for("document.getElementById('map').dataset.state === 'done'", "the map for the screenshot")
        browser.screenshot(os.path.join(OUT, "page.png"))
    finally:
        if browser:
            browser.close()
        server.stop()
    log(f"passed in {time.time() - started:.1f} s; screenshot {os.path.relpath(os.path.join(OUT, 'page.png'), REPO)}")


if __name__ == "__main__":
    main()
