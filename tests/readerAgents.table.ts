/**
 * User agents with the verdict the view guard must give them (README "Counting views"). Browsers,
 * crawlers and scripts as they send them (browser versions of late 2024, crawler strings as their
 * operators document them, libraries' defaults). Apps in the formats their stacks build, with
 * example app names where the stack puts the app's own (CFNetwork, Alamofire, AFNetworking,
 * WebViews). Apollo iOS and Apollo Kotlin send no user agent of their own (URLSession's or
 * OkHttp's goes out); their rows are the tokens an app sets, as the issue saw them.
 */
export type AgentCategory = 'app' | 'browser' | 'crawler' | 'script';

export interface AgentRow {
  /** What sends it. */
  client: string;
  category: AgentCategory;
  verdict: 'reader' | 'bot';
  userAgent: string;
}

const reader = 'reader' as const;
const bot = 'bot' as const;

export const agentTable: readonly AgentRow[] = [
  // Browsers.
  {
    client: 'Chrome 131, Windows',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    client: 'Chrome 131, macOS',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    client: 'Chrome 131, Linux',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    client: 'Chrome 131, Android',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  },
  {
    client: 'Chrome 131, iOS',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  },
  {
    client: 'Firefox 133, Windows',
    category: 'browser',
    verdict: reader,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    client: 'Firefox 133, Linux',
    category: 'browser',
    verdict: reader,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    client: 'Firefox 133, Android',
    category: 'browser',
    verdict: reader,
    userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
  },
  {
    client: 'Firefox 133, iOS',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15',
  },
  {
    client: 'Safari 18.1, macOS',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  },
  {
    client: 'Safari, iOS 18.1',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  },
  {
    client: 'Safari, iPadOS 17',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  },
  {
    client: 'Edge 131, Windows',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  },
  {
    client: 'Samsung Internet 26',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  },
  {
    client: 'Opera 115',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  },
  {
    client: 'Google app, iOS',
    category: 'browser',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/323.0.647062479 Mobile/15E148 Safari/604.1',
  },

  // Apps: native HTTP stacks, WebViews and in-app browsers.
  {
    client: 'OkHttp 4 (Android apps, Retrofit, Apollo Kotlin)',
    category: 'app',
    verdict: reader,
    userAgent: 'okhttp/4.12.0',
  },
  {
    client: 'OkHttp 3 (older Android apps)',
    category: 'app',
    verdict: reader,
    userAgent: 'okhttp/3.14.9',
  },
  {
    client: "React Native's fetch on Android (OkHttp)",
    category: 'app',
    verdict: reader,
    userAgent: 'okhttp/4.9.2',
  },
  {
    client: "Android's HttpURLConnection (Dalvik)",
    category: 'app',
    verdict: reader,
    userAgent: 'Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240905.003)',
  },
  {
    client: 'a news app on iOS (NSURLSession, CFNetwork)',
    category: 'app',
    verdict: reader,
    userAgent: 'MyNewsApp/5.1 CFNetwork/1494.0.7 Darwin/23.4.0',
  },
  {
    client: "React Native's fetch on iOS (CFNetwork)",
    category: 'app',
    verdict: reader,
    userAgent: 'NewsReader/312 CFNetwork/1568.100.1 Darwin/24.0.0',
  },
  {
    client: 'Expo Go on iOS (CFNetwork)',
    category: 'app',
    verdict: reader,
    userAgent: 'Expo/1017699 CFNetwork/1492.0.1 Darwin/23.3.0',
  },
  {
    client: 'an iOS app with a spaced, percent-encoded name (CFNetwork)',
    category: 'app',
    verdict: reader,
    userAgent: 'Daily%20News%20Feed/4.2.1 CFNetwork/1410.0.3 Darwin/22.6.0',
  },
  {
    client: 'Apollo iOS as an app sends it',
    category: 'app',
    verdict: reader,
    userAgent: 'Apollo-iOS/1.9',
  },
  {
    client: 'Apollo Kotlin as an app sends it',
    category: 'app',
    verdict: reader,
    userAgent: 'apollo-kotlin/4.1.0',
  },
  {
    client: "Ktor client's default",
    category: 'app',
    verdict: reader,
    userAgent: 'Ktor client',
  },
  {
    client: "Ktor client's UserAgent plugin",
    category: 'app',
    verdict: reader,
    userAgent: 'Ktor http-client',
  },
  {
    client: "Flutter (dart:io's HttpClient)",
    category: 'app',
    verdict: reader,
    userAgent: 'Dart/3.5 (dart:io)',
  },
  {
    client: "Alamofire's default (iOS)",
    category: 'app',
    verdict: reader,
    userAgent: 'MyNewsApp/5.1 (com.example.mynewsapp; build:512; iOS 17.4.1) Alamofire/5.9.1',
  },
  {
    client: "AFNetworking's default (iOS)",
    category: 'app',
    verdict: reader,
    userAgent: 'MyNewsApp/5.1 (iPhone; iOS 17.4; Scale/3.00)',
  },
  {
    client: 'Android WebView',
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36',
  },
  {
    client: 'Android WebView with the app name',
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36 MyNewsApp/5.1',
  },
  {
    client: 'iOS WKWebView with the app name',
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MyNewsApp/5.1',
  },
  {
    client: 'iOS WKWebView with a feed reader app name',
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 FeedManager/2.3',
  },
  {
    client: "Facebook's in-app browser, Android",
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/490.0.0.48.108;]',
  },
  {
    client: "Facebook's in-app browser, iOS",
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/483.0.0.53.105;FBBV/655917384;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.6.1;FBSS/3;FBID/phone;FBLC/de_DE;FBOP/5;FBRV/658035328]',
  },
  {
    client: "Instagram's in-app browser, iOS",
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5_1; de_DE; de; scale=3.00; 1170x2532; 618255346; IABMV/1)',
  },
  {
    client: "Instagram's in-app browser, Android",
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 Instagram 312.1.0.34.111 Android (33/13; 450dpi; 1080x2177; samsung; SM-A536B; a53x; s5e8825; de_DE; 548323757)',
  },
  {
    client: "Snapchat's in-app browser, iOS",
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.62.0.34 (like Safari/8617.2.4.10.8, panda)',
  },
  {
    client: "LinkedIn's in-app browser, iOS",
    category: 'app',
    verdict: reader,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8952',
  },

  // Crawlers.
  {
    client: 'Googlebot (classic)',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  {
    client: 'Googlebot Smartphone',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  {
    client: 'Googlebot Desktop',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36',
  },
  {
    client: 'Google-InspectionTool',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)',
  },
  {
    client: 'bingbot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
  },
  {
    client: 'GPTBot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  },
  {
    client: 'ChatGPT-User',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot',
  },
  {
    client: 'OAI-SearchBot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot',
  },
  {
    client: 'ClaudeBot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
  },
  {
    client: 'PerplexityBot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)',
  },
  {
    client: 'Bytespider',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
  },
  {
    client: 'facebookexternalhit',
    category: 'crawler',
    verdict: bot,
    userAgent: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  },
  {
    client: 'meta-externalagent',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
  },
  {
    client: 'Applebot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  },
  {
    client: 'Amazonbot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36',
  },
  {
    client: 'DuckDuckBot',
    category: 'crawler',
    verdict: bot,
    userAgent: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
  },
  {
    client: 'YandexBot',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  },
  {
    client: 'Baiduspider',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  },
  {
    client: 'CCBot (Common Crawl)',
    category: 'crawler',
    verdict: bot,
    userAgent: 'CCBot/2.0 (https://commoncrawl.org/faq/)',
  },
  {
    client: 'AhrefsBot',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  },
  {
    client: 'SemrushBot',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
  },
  {
    client: 'Twitterbot',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Twitterbot/1.0',
  },
  {
    client: 'Slackbot link expanding',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  },
  {
    client: 'Discordbot',
    category: 'crawler',
    verdict: bot,
    userAgent: 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  },
  {
    client: 'LinkedInBot',
    category: 'crawler',
    verdict: bot,
    userAgent:
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  },
  {
    client: "WhatsApp's link preview",
    category: 'crawler',
    verdict: bot,
    userAgent: 'WhatsApp/2.23.20.0',
  },

  // Scripts and headless browsers.
  { client: 'curl 8', category: 'script', verdict: bot, userAgent: 'curl/8.11.0' },
  { client: 'curl 7 (Debian 12)', category: 'script', verdict: bot, userAgent: 'curl/7.88.1' },
  { client: 'GNU Wget', category: 'script', verdict: bot, userAgent: 'Wget/1.21.4' },
  {
    client: 'python-requests',
    category: 'script',
    verdict: bot,
    userAgent: 'python-requests/2.32.3',
  },
  { client: "Python's urllib", category: 'script', verdict: bot, userAgent: 'Python-urllib/3.12' },
  { client: 'HTTPX', category: 'script', verdict: bot, userAgent: 'python-httpx/0.27.2' },
  {
    client: 'aiohttp',
    category: 'script',
    verdict: bot,
    userAgent: 'Python/3.12 aiohttp/3.10.10',
  },
  { client: "Go's net/http", category: 'script', verdict: bot, userAgent: 'Go-http-client/1.1' },
  {
    client: "Go's net/http over HTTP/2",
    category: 'script',
    verdict: bot,
    userAgent: 'Go-http-client/2.0',
  },
  {
    client: 'HeadlessChrome (Puppeteer, Playwright)',
    category: 'script',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36',
  },
  {
    client: 'PhantomJS',
    category: 'script',
    verdict: bot,
    userAgent:
      'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
  },
  {
    client: "Node's fetch (a server, not its reader)",
    category: 'script',
    verdict: bot,
    userAgent: 'node',
  },
  { client: 'undici', category: 'script', verdict: bot, userAgent: 'undici' },
  { client: 'axios', category: 'script', verdict: bot, userAgent: 'axios/1.7.7' },
  {
    client: 'node-fetch 2',
    category: 'script',
    verdict: bot,
    userAgent: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  },
  { client: "Deno's fetch", category: 'script', verdict: bot, userAgent: 'Deno/2.1.4' },
  { client: "Bun's fetch", category: 'script', verdict: bot, userAgent: 'Bun/1.1.38' },
  {
    client: 'got 11',
    category: 'script',
    verdict: bot,
    userAgent: 'got (https://github.com/sindresorhus/got)',
  },
  { client: "Ruby's Net::HTTP", category: 'script', verdict: bot, userAgent: 'Ruby' },
  { client: 'Faraday (Ruby)', category: 'script', verdict: bot, userAgent: 'Faraday v2.12.0' },
  { client: 'Postman', category: 'script', verdict: bot, userAgent: 'PostmanRuntime/7.42.0' },
  {
    client: 'Apache HttpClient (Java)',
    category: 'script',
    verdict: bot,
    userAgent: 'Apache-HttpClient/4.5.14 (Java/17.0.9)',
  },
  {
    client: "Java's HttpURLConnection",
    category: 'script',
    verdict: bot,
    userAgent: 'Java/17.0.2',
  },
  { client: 'libwww-perl', category: 'script', verdict: bot, userAgent: 'libwww-perl/6.72' },
  {
    client: 'Scrapy',
    category: 'script',
    verdict: bot,
    userAgent: 'Scrapy/2.11.2 (+https://scrapy.org)',
  },
];
