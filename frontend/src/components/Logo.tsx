/** The Callboard mark: a board with three pinned notes. */
export function Logo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <rect x="7" y="8" width="8" height="7" rx="1.5" fill="#fff" />
      <rect x="17" y="8" width="8" height="11" rx="1.5" fill="#fff" opacity="0.75" />
      <rect x="7" y="17" width="8" height="7" rx="1.5" fill="#fff" opacity="0.75" />
      <rect x="17" y="21" width="8" height="3" rx="1.5" fill="#fff" opacity="0.5" />
    </svg>
  );
}
