// The contact form, when it comes back with errors: move focus to the error summary, so
// keyboard and screen reader users learn first what to fix; a link in the summary then
// focuses its field (with its label in view). The form works the same without this script.
(function () {
    var summary = document.getElementById("error-summary");
    if (!summary) {
        return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var field = link && document.getElementById(link.getAttribute("href").slice(1));
        if (!field) {
            return;
        }
        event.preventDefault();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView();
        field.focus({ preventScroll: true });
    });
})();
