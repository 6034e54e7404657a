import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/**
 * Apollo's landing page hook with a page of the gateway's own: Apollo answers a GET that prefers
 * text/html with `render()`'s HTML, rendered anew for each request (a fresh CSP nonce each time).
 */
export function htmlLandingPagePlugin(render: () => Promise<string>): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: render };
        },
      };
    },
  };
}
