import { useEffect, useState } from 'react';
import { Check, Copy } from 'lucide-react';

/**
 * Puts text on the clipboard: the Clipboard API where the page may use it,
 * else a selected textarea and the copy command (a webview whose page is
 * not a secure context has no navigator.clipboard).
 */
async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }
}

/** Copies text to the clipboard, saying so for a moment. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <button type="button" className="button button-small button-quiet copy-button" onClick={() => void writeClipboard(text).then(setCopied)} aria-label={copied ? 'Copied' : label}>
      {copied ? <Check size={13} aria-hidden="true" /> : <Copy size={13} aria-hidden="true" />} {copied ? 'Copied' : label}
    </button>
  );
}
