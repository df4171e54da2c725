import type { HtmlTagDescriptor, Plugin } from 'vite';

/**
 * While launch.html waits on the EHR (discovery, then the authorize redirect), the browser fetches the app's
 * JavaScript and CSS into its HTTP cache (`rel=prefetch`: downloaded, not executed; assets are immutable), so
 * index.html finds them there and the code exchange starts one round trip sooner. The launch page's own
 * JavaScript is unchanged (its 20 KB budget counts what it runs).
 */
export function prefetchAppFromLaunchPage(): Plugin {
  return {
    name: 'movo-prefetch-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle || !context.filename.endsWith('launch.html')) return undefined;
        const appEntry = Object.values(bundle).find(
          (output) =>
            output.type === 'chunk' && output.isEntry && output.facadeModuleId?.endsWith('/index.html'),
        );
        if (!appEntry || appEntry.type !== 'chunk') return undefined;
        const files = new Set<string>([appEntry.fileName, ...appEntry.imports]);
        const css = appEntry.viteMetadata?.importedCss ?? new Set<string>();
        // What launch.html loads itself (the shared fhirclient chunk) is already on its way.
        const tags: HtmlTagDescriptor[] = [...files]
          .filter((file) => !html.includes(file))
          .map((file) => ({
            tag: 'link',
            attrs: { rel: 'prefetch', href: `/${file}`, as: 'script', crossorigin: 'anonymous' },
            injectTo: 'head',
          }));
        for (const file of css) {
          tags.push({
            tag: 'link',
            attrs: { rel: 'prefetch', href: `/${file}`, as: 'style' },
            injectTo: 'head',
          });
        }
        return tags;
      },
    },
  };
}
