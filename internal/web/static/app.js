/* Ambiti — progressive enhancement only: every page works without JavaScript.
 *
 * Fonts: Bootstrap Italia's bootstrap.loadFonts() injects an inline <style>, which our
 * Content-Security-Policy blocks; the @font-face rules are a static stylesheet instead
 * (vendor/bootstrap-italia/fonts/fonts.css), loaded by every page. */
(function () {
  'use strict';
  function ready(fn) {
    if (document.readyState !== 'loading') { fn(); } else { document.addEventListener('DOMContentLoaded', fn); }
  }
  ready(function () {
    // Filters apply on change through htmx: their "Filter" button is only for browsers without it.
    if (window.htmx) {
      document.querySelectorAll('.app-js-hide').forEach(function (el) { el.hidden = true; });
    }
    // After a refused submission, take keyboard and screen-reader users to the error summary.
    var summary = document.getElementById('error-summary');
    if (summary) { summary.focus(); }
  });
})();
