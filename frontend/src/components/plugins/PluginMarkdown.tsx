import { Markdown, type MarkdownToJSX } from 'markdown-to-jsx/react';
import { Fragment, type ReactNode } from 'react';
import { PluginLink, linkTarget } from './PluginLink';

function Anchor({ href, children }: { href?: string; children?: ReactNode }) {
  return <PluginLink url={href}>{children}</PluginLink>;
}

/** Images would load from wherever the plugin says: only their alt text shows. */
function Image({ alt }: { alt?: string }) {
  return alt ? <span className="plugin-image-alt">{alt}</span> : null;
}

// A plugin's Markdown is someone else's text: raw HTML stays text, links
// lead only to app routes and http(s) or mailto addresses, images are not
// fetched.
const options: MarkdownToJSX.Options = {
  disableParsingRawHTML: true,
  forceBlock: true,
  wrapper: Fragment,
  sanitizer: (value) => (linkTarget(value) ? value : null),
  overrides: { a: { component: Anchor }, img: { component: Image } },
};

export function PluginMarkdown({ text }: { text: string }) {
  return (
    <div className="plugin-markdown">
      <Markdown options={options}>{text}</Markdown>
    </div>
  );
}
