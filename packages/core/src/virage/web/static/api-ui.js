/* Starts Swagger UI on the API page (/schema/): the schema's address is on the container. */
(function () {
  "use strict";
  var container = document.getElementById("swagger-container");
  if (!container || !window.SwaggerUIBundle) return;
  window.ui = window.SwaggerUIBundle({
    url: container.getAttribute("data-spec-url"),
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset]
  });
})();
