// Starts Swagger UI on /api/docs with the document Oikos generates. A file, not an inline
// script, so the page keeps the site's Content-Security-Policy (script-src 'self').
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#docs",
    deepLinking: true,
    // The bundled validator badge would call validator.swagger.io.
    validatorUrl: "none",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    persistAuthorization: false,
  });
});
