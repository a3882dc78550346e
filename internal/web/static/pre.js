/* Runs before the Bootstrap Italia bundle: its video player (unused here) would otherwise
 * inject inline <style> elements, which the Content-Security-Policy blocks. */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
