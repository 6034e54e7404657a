/**
 * Reports one view of the article with navigator.sendBeacon('/views') once the reader can see it:
 * not while the page is prerendered (document.prerendering, until prerenderingchange) and not
 * while it is hidden (a background tab, until visibilitychange). At most once per page load.
 * No visitor id is sent: the gateway keys the reader by a daily-salted hash it never stores.
 */
export function reportViewWhenShown(slug, doc = document) {
  let sent = false;
  const attempt = () => {
    if (sent || doc.prerendering || doc.visibilityState === 'hidden') return;
    sent = true;
    doc.removeEventListener('prerenderingchange', attempt);
    doc.removeEventListener('visibilitychange', attempt);
    const body = JSON.stringify({ slug });
    // sendBeacon sends text/plain (no CORS preflight); it returns false when the browser's
    // beacon queue is full, and then a keepalive fetch carries the same body.
    if (!navigator.sendBeacon('/views', body)) {
      fetch('/views', {
        method: 'POST',
        body,
        keepalive: true,
        headers: { 'content-type': 'text/plain' },
      });
    }
  };
  doc.addEventListener('prerenderingchange', attempt);
  doc.addEventListener('visibilitychange', attempt);
  attempt();
}
