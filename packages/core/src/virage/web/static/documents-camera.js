// In-app camera of the documents: the preview of the back camera, « Prendre la photo » draws the
// frame on a canvas and sends it straight to the person's file. The photo is never written to the
// device (no download link, no gallery); without a camera or JavaScript the file input remains.
(function () {
  "use strict";
  var form = document.getElementById("camera-form");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var shoot = document.getElementById("camera-shoot");
  var status = document.getElementById("camera-status");
  if (!form || !box || !video || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var stream = null;
  function say(text) { status.textContent = text; }
  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
  }
  navigator.mediaDevices
    .getUserMedia({ video: { facingMode: "environment", width: { ideal: 1920 } }, audio: false })
    .then(function (s) {
      stream = s;
      video.srcObject = s;
      box.hidden = false;
      document.getElementById("camera-fallback").hidden = true;
      document.getElementById("camera-submit").hidden = true;
      document.getElementById("c-file").required = false;
      box.setAttribute("data-state", "ready");
    })
    .catch(function () {
      say("Appareil photo indisponible : choisissez une photo avec le champ ci-dessous.");
    });
  window.addEventListener("pagehide", stop);
  shoot.addEventListener("click", function () {
    if (!video.videoWidth) { say("L'appareil photo démarre, réessayez dans un instant."); return; }
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    shoot.disabled = true;
    say("Envoi de la photo…");
    canvas.toBlob(function (blob) {
      var data = new FormData(form);
      data.delete("file");
      data.append("file", blob, "photo.jpg");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (response.ok && response.redirected) {
            stop();
            window.location.assign(response.url);
            return;
          }
          return response.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var message = doc.querySelector("main p, .error p");
            say(message ? message.textContent : "La photo n'a pas été enregistrée : réessayez.");
            shoot.disabled = false;
          });
        })
        .catch(function () {
          say("La photo n'a pas été envoyée (réseau ?) : réessayez.");
          shoot.disabled = false;
        });
    }, "image/jpeg", 0.9);
  });
})();
