import { agentImage, parseImage } from '../../rule-helpers.js';
import type { DockerfileDocument } from '../../document.js';
import { expandArgs, finalStage, parentStage, varsAt } from '../../dockerfile-helpers.js';
import type { Stage } from '../../parse/dockerfile.js';
import { fmt, type Position, type Report, type Rule } from '../../types.js';

/** The USER in effect at the end of a stage: its own last USER, else the one of the stage it builds on. */
function lastUser(doc: DockerfileDocument, stage: Stage, seen = new Set<number>()): { user: string; at: Position; written: string } | undefined {
  for (let i = stage.instructions.length - 1; i >= 0; i--) {
    const ins = stage.instructions[i];
    if (ins?.keyword !== 'USER') continue;
    const written = ins.rest.trim();
    // `USER $APP_UID` is the ARG/ENV default in effect there (`ARG USER_ID=0` is root).
    return { user: expandArgs(written, varsAt(doc, stage, ins)), at: ins.at, written };
  }
  const parent = parentStage(doc, stage);
  if (parent && !seen.has(parent.index)) {
    seen.add(parent.index);
    return lastUser(doc, parent, seen);
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'dockerfile/root-user',
    severity: 'high',
    title: 'final stage runs as root',
    rationale: 'Containers run as root unless told otherwise; root in the container owns its filesystem, can use setuid binaries and is one kernel or runtime bug away from root on the host. MCP servers and agents run tools on request, which makes this the common case rather than an edge case. Only the final stage matters: build stages may need root.',
    remediation: 'Create an unprivileged user and switch to it at the end of the final stage: `RUN useradd -r -u 10001 app` then `USER 10001` (or use a `:nonroot` base image).',
    refs: ['https://docs.docker.com/build/building/best-practices/#user', 'https://github.com/hadolint/hadolint/wiki/DL3002', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'H DL3002, T, C, K, CIS 4.1',
    formats: ['dockerfile'],
    messages: { none: 'final stage ({image}) has no USER: the container runs as root{mcp}', root: 'final stage switches to USER {user}{mcp}' },
  },
  check(doc) {
    if (doc.format !== 'dockerfile') return [];
    const stage = finalStage(doc);
    if (!stage) return [];
    const ref = parseImage(stage.image);
    // Distroless/chainguard nonroot images already run unprivileged.
    if (/nonroot|rootless/.test(ref.tag ?? '') || /chainguard|cgr\.dev/.test(stage.image)) return [];
    const mcp = agentImage(doc.file) === 'an MCP server' || /mcp/i.test(doc.file) || doc.instructions.some((i) => /mcp/i.test(i.rest) && (i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD' || i.keyword === 'LABEL'));
    const suffix = mcp ? ' (an MCP server image)' : '';
    const u = lastUser(doc, stage);
    if (!u) return [{ message: fmt(this.meta.messages.none, { image: stage.image, mcp: suffix }), at: stage.from.at, key: 'no-user' }];
    if (/^(?:root|0)(?::(?:root|0|\d+))?$/.test(u.user)) return [{ message: fmt(this.meta.messages.root, { user: u.written === u.user ? u.user : `${u.written} (${u.user})`, mcp: suffix }), at: u.at, key: 'user-root' }];
    return [] as Report[];
  },
};
