// kiemdiem: small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches && form.matches(".confirm-form") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
