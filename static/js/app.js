// kiemdiem: small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches && form.matches(".confirm-form") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);

// Report downloads can take a few seconds for a whole bloc: show that the file is being made.
// Without JavaScript the link downloads as usual.
function downloadName(response, fallback) {
  var header = response.headers.get("Content-Disposition") || "";
  var encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded) { return decodeURIComponent(encoded[1]); }
  var plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
}

document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a[data-progress]") : null;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) { return; }
  event.preventDefault();
  if (link.getAttribute("aria-busy") === "true") { return; }
  var label = link.textContent;
  link.setAttribute("aria-busy", "true");
  link.classList.add("disabled");
  link.textContent = link.dataset.progress;
  fetch(link.href, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var anchor = document.createElement("a");
        anchor.href = url;
        anchor.download = downloadName(response, "bao-cao");
        document.body.appendChild(anchor);
        anchor.click();
        anchor.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
      });
    })
    .catch(function () { window.location.href = link.href; })
    .finally(function () {
      link.textContent = label;
      link.removeAttribute("aria-busy");
      link.classList.remove("disabled");
    });
});
