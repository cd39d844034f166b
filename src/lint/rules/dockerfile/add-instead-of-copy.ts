import { fmt, type Report, type Rule } from '../../types.js';

const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

export const rule: Rule = {
  meta: {
    id: 'dockerfile/add-instead-of-copy',
    severity: 'medium',
    title: 'ADD used for a URL or a plain file',
    rationale: '`ADD` fetches URLs without verifying them (no checksum unless `--checksum`) and silently unpacks local archives; for plain files it is `COPY` with surprises. Use `ADD` only to unpack a local tar, or for a URL pinned with `--checksum`.',
    remediation: 'Use `COPY` for files; for downloads use `ADD --checksum=sha256:… <url>` or `RUN curl -fsSLo file <url> && echo "<sha256>  file" | sha256sum -c -`.',
    refs: ['https://github.com/hadolint/hadolint/wiki/DL3020', 'https://docs.docker.com/build/building/best-practices/#add-or-copy'],
    anchors: 'H DL3020, T, C',
    formats: ['dockerfile'],
    messages: { url: 'ADD fetches {src} without --checksum', file: 'ADD used for {src}; use COPY' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const out: Report[] = [];
    for (const i of doc.instructions) {
      if (i.keyword !== 'ADD' || i.heredocs.length > 0) continue;
      const words = i.rest.split(/\s+/).filter(Boolean);
      for (const src of words.slice(0, -1)) {
        if (/^(?:https?|ftp):\/\/|^git@|\.git(?:#|$)/.test(src)) {
          if (!i.flags['checksum']) out.push({ message: fmt(this.meta.messages.url, { src }), at: i.at, key: src });
        } else if (!ARCHIVE.test(src)) {
          out.push({ message: fmt(this.meta.messages.file, { src }), at: i.at, key: src });
          break;
        }
      }
    }
    return out;
  },
};
