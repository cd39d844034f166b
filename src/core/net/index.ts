export { badIpMessage, canonicalIp, checkIp, formatIp, parseIp, quoteInput, type IpAddress, type IpParse } from './ip.js';
export { anyCidrContains, cidrContains, formatCidr, parseCidr, type Cidr, type CidrParse } from './cidr.js';
export { cidrBounds, ipKey, networkOf, type IpKey } from './range.js';
export { clientAddress, forwardedHops, LOOPBACK_CIDRS, MAX_FORWARDED_HOPS, type ForwardedClient } from './forwarded.js';
