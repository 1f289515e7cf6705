/* The admin's autocomplete boxes (select2) show their text in a role="textbox" element that
   has no name of its own: give it the label of the field (WCAG 4.1.2). Runs after Django's
   autocomplete.js has built the boxes: its jQuery "ready" handler is registered before this
   deferred script's, and jQuery runs them in order. */
function nameAutocompleteBoxes() {
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var container = select.nextElementSibling;
    if (!label || !container) { return; }
    var name = label.textContent.replace(/\s*:\s*$/, "").trim();
    container.querySelectorAll(".select2-selection__rendered").forEach(function (rendered) {
      rendered.setAttribute("aria-label", name);
    });
  });
}
if (window.django && window.django.jQuery) {  // no jQuery on the page: no autocomplete box
  window.django.jQuery(nameAutocompleteBoxes);
}
