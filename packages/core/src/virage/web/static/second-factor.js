/* Security keys (WebAuthn) for the second factor, without inline script (the Content-Security-Policy
   refuses inline code). Forms marked data-webauthn="create" (enrol a key) or data-webauthn="get"
   (log in with it) carry the server's options in data-options (JSON, base64url fields). On submit
   the browser is asked, and its answer is posted in the form's hidden "credential" field, as a plain
   form. Where the browser offers no WebAuthn, these forms stay hidden: codes work everywhere. */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function fromB64(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64(buffer) {
    var bytes = new Uint8Array(buffer);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeIds(list) {
    (list || []).forEach(function (c) { c.id = fromB64(c.id); });
  }

  function publicKey(kind, options) {
    options.challenge = fromB64(options.challenge);
    if (kind === "create") {
      options.user.id = fromB64(options.user.id);
      decodeIds(options.excludeCredentials);
    } else {
      decodeIds(options.allowCredentials);
    }
    return options;
  }

  function serialize(credential) {
    var r = credential.response;
    var out = {
      id: credential.id,
      rawId: toB64(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults
        ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64(r.clientDataJSON) }
    };
    if (credential.authenticatorAttachment) {
      out.authenticatorAttachment = credential.authenticatorAttachment;
    }
    if (r.attestationObject) {
      out.response.attestationObject = toB64(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toB64(r.authenticatorData);
      out.response.signature = toB64(r.signature);
      if (r.userHandle) out.response.userHandle = toB64(r.userHandle);
    }
    return JSON.stringify(out);
  }

  function setUp(form) {
    var kind = form.getAttribute("data-webauthn");
    var field = form.querySelector("input[name=credential]");
    var error = form.querySelector("[data-webauthn-error]");
    var section = form.closest("[data-webauthn-section]");
    if (section) section.hidden = false;
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      if (field.value) return;
      event.preventDefault();
      if (error) error.hidden = true;
      var options = publicKey(kind, JSON.parse(form.getAttribute("data-options")));
      var asked = kind === "create"
        ? navigator.credentials.create({ publicKey: options })
        : navigator.credentials.get({ publicKey: options });
      asked.then(function (credential) {
        field.value = serialize(credential);
        form.submit();
      }).catch(function (err) {
        if (!error) return;
        error.textContent = "La clé de sécurité n'a pas répondu (" + (err && err.name || "erreur") +
          ") : réessayez, ou utilisez un code.";
        error.hidden = false;
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-webauthn]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
