import { createIsbotFromList, list } from 'isbot';

/** Whether a user agent is a person reading (in a browser or an app) or a crawler or script. */
export type AgentVerdict = 'reader' | 'bot';

/**
 * isbot's generic patterns that throw away native apps, each with the user agents it ate (found
 * with isbotPatterns; README "Counting views" lists them too). isbot is a browser heuristic: to it,
 * anything that is not a browser is suspect, and an app is not a browser.
 */
export const removedIsbotPatterns: Readonly<Record<string, string>> = Object.freeze({
  // "MyNewsApp/5.1 CFNetwork/...", a WebView's "... Mobile/15E148 MyNewsApp/5.1": isbotMatch
  // returns "yNews". Every news publisher's own app has the word in its name.
  '(?:^|[^g])news(?!sapphire)': '"news" anywhere: every app with News in its name',
  // okhttp/4.12.0 (most Android apps, Apollo Kotlin, React Native on Android), Apollo-iOS/1.9,
  // apollo-kotlin, "Ktor client", and any app that sends its own bare "Name/1.0".
  '^[\\w \\.\\-\\(?:\\):%]+(?:/v?\\d+(?:\\.\\d+)?(?:\\.\\d{1,10})*?)?(?:,|$)':
    'a user agent of one product token: okhttp/4.12.0, Apollo-iOS/1.9, Ktor client',
  // okhttp, "Ktor http-client": "http" anywhere in the string. What it caught among crawlers and
  // scripts is caught by the narrower patterns below (a "+http://" contact address, named clients).
  '(?<!(?:lib))http': '"http" anywhere: okhttp, Ktor http-client',
});

/**
 * Scripts and crawlers that only the removed patterns caught, named instead: HTTP libraries'
 * default user agents (each a row of tests/readerAgents.table.ts), and the "+https://..." contact
 * address crawlers put in theirs (Google's and Bing's convention, "+http://www.google.com/bot.html";
 * Scrapy's "+https://scrapy.org"), which no browser or app stack sends.
 */
const addedPatterns = [
  '^go-http-client/',
  '^undici',
  '^axios/',
  '^deno/',
  '^bun/',
  '^ruby$',
  '^faraday v',
  '\\+https?://',
];

const removed = new Set(Object.keys(removedIsbotPatterns));

/** isbot's list without the patterns that eat apps, plus the named scripts and crawlers. */
const isCrawlerOrScript = createIsbotFromList([
  ...list.filter(pattern => !removed.has(pattern)),
  ...addedPatterns,
]);

/**
 * Native HTTP stacks' user agents, whole: nothing in them but the stack and the app's own name,
 * so no word of that name can decide. Each is the default the stack sends.
 */
const nativeStacks: readonly RegExp[] = [
  // Android's OkHttp: Retrofit, Apollo Kotlin, Coil, React Native's fetch on Android.
  /^okhttp\/[\d.]+$/i,
  // Android's HttpURLConnection (and Ktor's or Volley's on it): "Dalvik/2.1.0 (Linux; U; Android 14; ...)".
  /^Dalvik\/[\d.]+ \([^)]*\)$/i,
  // Flutter and dart:io's HttpClient: "Dart/3.5 (dart:io)".
  /^Dart\/[\d.]+ \(dart:io\)$/i,
  // Ktor client's default ("Ktor client") and its UserAgent plugin's ("Ktor http-client").
  /^Ktor (?:http-)?client$/i,
  // GraphQL clients' own tokens where an app sends them as its user agent.
  /^Apollo[- ](?:iOS|Kotlin|Android)\/[\w.-]+$/i,
  // iOS and macOS NSURLSession (React Native and Expo on iOS, Apollo iOS, URLSession):
  // "<App>/<version> CFNetwork/<version> Darwin/<version>", the app's name percent-encoded.
  /^[^/]+\/\S+ CFNetwork\/[\d.]+ Darwin\/[\d.]+$/i,
  // Alamofire's default: "<App>/<version> (<bundle id>; build:<n>; iOS <version>) Alamofire/<version>".
  /^[^/]+\/\S+ \([^)]*\) Alamofire\/[\d.]+$/i,
  // AFNetworking's default: "<App>/<version> (iPhone; iOS 17.4; Scale/3.00)".
  /^[^/]+\/\S+ \((?:iPhone|iPad|iPod touch); iOS [\d.]+; Scale\/[\d.]+\)$/i,
];

/**
 * An app's WebView: Android's (marked "; wv)") or iOS's WKWebView (no "Version/" and no "Safari/"
 * after the engine), with whatever the app appends (its name, Facebook's "[FBAN/...]", Instagram's
 * "Instagram 339.0 ..."). The first group is the platform's part, the second the app's.
 */
const webView =
  /^(Mozilla\/5\.0 \((?:Linux; Android [^)]*; wv|(?:iPhone|iPad|iPod)[^)]*)\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\) (?:Version\/[\d.]+ Chrome\/[\d.]+ (?:Mobile )?Safari\/[\d.]+|Mobile\/\w+))(.*)$/;

/**
 * Decides whether a user agent is a reader or a bot. A missing or empty user agent is a reader (no
 * evidence either way, as before). The publisher's own apps (READER_APP_AGENTS: lower-case
 * substrings) and native HTTP stacks are readers; in a WebView only the platform's part is judged,
 * so a word in the app's name never decides, unless the app's part is a crawler's "(compatible;
 * ...)" comment. Everything else is judged by isbot's list without the patterns that eat apps.
 */
export function agentVerdict(
  userAgent: string | null | undefined,
  appAgents: readonly string[] = [],
): AgentVerdict {
  if (!userAgent) return 'reader';
  if (appAgents.length > 0) {
    const lower = userAgent.toLowerCase();
    if (appAgents.some(agent => lower.includes(agent))) return 'reader';
  }
  if (nativeStacks.some(stack => stack.test(userAgent))) return 'reader';
  const inApp = webView.exec(userAgent);
  const judged = inApp && !/\(compatible\b/i.test(inApp[2]) ? inApp[1] : userAgent;
  return isCrawlerOrScript(judged) ? 'bot' : 'reader';
}
