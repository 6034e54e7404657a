/** Makes a stored image path absolute ("/media/x.svg" -> "https://site/media/x.svg"). */
export function absoluteUrl(url: string, baseUrl: string): string {
  return url.startsWith('/') ? `${baseUrl.replace(/\/$/, '')}${url}` : url;
}
