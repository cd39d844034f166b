import { fmt, type Report, type Rule } from '../../types.js';

export const rule: Rule = {
  meta: {
    id: 'compose/device-passthrough',
    severity: 'medium',
    title: 'host device or shared mount propagation',
    rationale: 'A host device node gives the container direct access to hardware and kernel drivers (raw disks, /dev/mem, USB); shared mount propagation lets mounts made inside the container appear on the host. Both widen the path to a host escape.',
    remediation: 'Pass only the device needed (GPUs via `deploy.resources.reservations.devices`), never whole disks, and keep mount propagation private.',
    refs: ['https://docs.docker.com/reference/compose-file/services/#devices', 'https://www.cisecurity.org/benchmark/docker'],
    anchors: 'K, CIS 5.18/5.19',
    formats: ['compose'],
    messages: { device: 'service {service} passes host device {device}', propagation: 'service {service} mounts {source} with {propagation} propagation' },
  },
  check(doc) {
    if (doc.format !== 'compose') return [];
    const out: Report[] = [];
    for (const svc of doc.services) {
      const n = svc.get('devices');
      if (n?.kind === 'seq') for (const item of n.items) if (item.kind === 'scalar') out.push({ message: fmt(this.meta.messages.device, { service: svc.name, device: item.raw.split(':')[0] ?? item.raw }), at: item.at, key: `${svc.name}:${item.raw}` });
      for (const v of svc.volumes) if (v.propagation && /shared/.test(v.propagation)) out.push({ message: fmt(this.meta.messages.propagation, { service: svc.name, source: v.sourceRaw ?? '', propagation: v.propagation }), at: v.at, key: `${svc.name}:${v.raw}` });
    }
    return out;
  },
};
