/* Door scanning: progressive enhancement of the plain scan form.
 * - Handheld scanners type the code and press Enter into the focused input; the form is sent with fetch.
 * - The camera reads QR codes with BarcodeDetector where the browser has it, otherwise with vendored jsQR.
 * - Every verdict shows large with an icon and words, plus a sound and a vibration: colour is never alone.
 * - Live door counts refresh every few seconds.
 * Without JavaScript the form posts and the server answers with a page showing the verdict.
 */
(function () {
  "use strict";

  var POLL_MS = 5000;

  function randomNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- Live counts ------------------------------------------------------------------------------
  function updateCounts(counts) {
    document.querySelectorAll("[data-count-key]").forEach(function (el) {
      var c = counts[el.getAttribute("data-count-key")];
      if (!c) return;
      var set = function (cls, value) {
        var node = el.querySelector(cls);
        if (node && value !== null && value !== undefined) node.textContent = value;
      };
      set(".count-in", c.checked_in);
      set(".count-booked", c.booked);
      set(".count-capacity", c.capacity);
    });
  }

  function pollCounts(url) {
    function tick() {
      if (document.hidden) return;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && data.counts) updateCounts(data.counts); })
        .catch(function () { /* try again next tick */ });
    }
    setInterval(tick, POLL_MS);
  }

  var countsHolder = document.querySelector("[data-counts-url]");
  if (countsHolder) pollCounts(countsHolder.getAttribute("data-counts-url"));

  var form = document.getElementById("scan-form");
  if (!form) return;
  var root = document.querySelector(".door");
  var input = form.querySelector("input[name=code]");
  var verdictBox = document.getElementById("verdict");
  var walkInBox = document.getElementById("walk-in");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // --- Sound and vibration ------------------------------------------------------------------------
  var audio = null;
  function ensureAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) { try { audio = new Ctx(); } catch (e) { audio = null; } }
    if (audio && audio.state === "suspended") audio.resume();
  }
  function tone(freq, start, length, type) {
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = type || "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, audio.currentTime + start);
    gain.gain.exponentialRampToValueAtTime(0.4, audio.currentTime + start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + start + length);
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + length + 0.02);
  }
  function cue(kind) {
    if (audio) {
      try {
        if (kind === "yes") { tone(880, 0, 0.12); tone(1320, 0.14, 0.16); }
        else if (kind === "warn") { tone(520, 0, 0.18, "triangle"); tone(520, 0.25, 0.18, "triangle"); }
        else { tone(180, 0, 0.5, "square"); }
      } catch (e) { /* sound is a bonus */ }
    }
    if (navigator.vibrate) {
      navigator.vibrate(kind === "yes" ? 80 : kind === "warn" ? [120, 80, 120] : [400, 120, 400]);
    }
  }
  document.addEventListener("keydown", ensureAudio, { once: true });
  document.addEventListener("pointerdown", ensureAudio, { once: true });

  // --- Showing a verdict ----------------------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  var ICONS = { yes: "✓", warn: "!", no: "✗" };

  function showVerdict(data, code) {
    verdictBox.className = "verdict verdict-" + data.tone;
    verdictBox.setAttribute("data-verdict", data.verdict);
    verdictBox.textContent = "";
    var head = el("p", "verdict-head");
    var icon = el("span", "verdict-icon", ICONS[data.tone]);
    icon.setAttribute("aria-hidden", "true");
    head.appendChild(icon);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "verdict-label", data.verdict_label));
    verdictBox.appendChild(head);
    if (data.name) verdictBox.appendChild(el("p", "verdict-name", data.name));
    if (data.category) verdictBox.appendChild(el("p", "verdict-category", data.category));
    verdictBox.appendChild(el("p", "verdict-message", data.message));
    walkInBox.textContent = "";
    if (data.walk_in_possible) {
      var button = el("button", "primary", root.getAttribute("data-msg-walk-in"));
      button.type = "button";
      button.addEventListener("click", function () { walkInBox.textContent = ""; send(code, true); });
      walkInBox.appendChild(button);
    }
    if (data.counts) {
      var counts = {};
      counts[data.checkpoint] = data.counts;
      updateCounts(counts);
    }
    cue(data.tone);
  }

  function showProblem(text) {
    verdictBox.className = "verdict verdict-no";
    verdictBox.removeAttribute("data-verdict");
    verdictBox.textContent = "";
    var head = el("p", "verdict-head");
    var icon = el("span", "verdict-icon", "✗");
    icon.setAttribute("aria-hidden", "true");
    head.appendChild(icon);
    head.appendChild(el("span", "verdict-label", " " + text));
    verdictBox.appendChild(head);
    cue("no");
  }

  // --- Sending a scan ---------------------------------------------------------------------------------
  var busy = false;
  function send(code, walkIn) {
    var nonce = randomNonce();
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("code", code);
    body.append("nonce", nonce);
    if (walkIn) body.append("walk_in", "on");
    busy = true;
    verdictBox.setAttribute("aria-busy", "true");
    var attempt = 0;
    function post() {
      attempt += 1;
      // A retry reuses the nonce, so the server counts the scan once whatever happened to the first answer.
      return fetch(window.location.pathname, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
      }).then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      }).catch(function (error) {
        if (attempt < 3) return new Promise(function (res) { setTimeout(res, 400 * attempt); }).then(post);
        throw error;
      });
    }
    return post().then(function (res) {
      if (res.ok) showVerdict(res.data, code);
      else showProblem(res.data.error || root.getAttribute("data-msg-network"));
    }).catch(function () {
      showProblem(root.getAttribute("data-msg-network"));
    }).then(function () {
      busy = false;
      verdictBox.removeAttribute("aria-busy");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ensureAudio();
    var code = input.value.trim();
    input.value = "";
    input.focus();
    if (!code) return;
    send(code, false);
  });

  // --- Camera -------------------------------------------------------------------------------------------
  var cameraBox = document.getElementById("camera");
  if (!cameraBox || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var detector = null;
  var lastCode = "";
  var lastAt = 0;
  cameraBox.hidden = false;

  function detectorFor() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    }).catch(function () { return null; });
  }

  function found(text) {
    var now = Date.now();
    if (!text || busy || (text === lastCode && now - lastAt < 3000)) return;
    lastCode = text;
    lastAt = now;
    send(text, false);
  }

  function scanFrame() {
    if (!stream) return;
    if (video.readyState >= 2) {
      if (detector) {
        detector.detect(video).then(function (codes) {
          if (codes.length) found(codes[0].rawValue);
        }).catch(function () { /* next frame */ });
      } else if (window.jsQR) {
        var w = video.videoWidth, h = video.videoHeight;
        var scale = Math.min(1, 640 / Math.max(w, h));
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var result = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (result) found(result.data);
      }
    }
    setTimeout(scanFrame, 150);
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    toggle.textContent = toggle.getAttribute("data-label-start");
    input.focus();
  }

  toggle.addEventListener("click", function () {
    ensureAudio();
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        toggle.textContent = toggle.getAttribute("data-label-stop");
        status.textContent = "";
        return video.play().then(detectorFor).then(function (d) { detector = d; scanFrame(); });
      })
      .catch(function () {
        stop();
        status.textContent = root.getAttribute("data-msg-camera-off");
      });
  });
})();
