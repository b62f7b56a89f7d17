/**
 * What the bot reads out of MONGODB_URI by itself, without the driver: what is safe to log, and
 * which database it names. Kept free of the driver so both work before (and without) connecting.
 */

interface UriParts {
  scheme: string;
  /** Hosts (and ports), user info removed; undefined when they cannot be told apart from a password. */
  hosts: string | undefined;
  /** The path's database name as written (still percent-encoded); '' when the URI names none. */
  rawDatabase: string;
}

/**
 * Split a mongodb:// or mongodb+srv:// URI. The authority ends at the first '/' or '?'; the user
 * info ends at its last '@'. An '@' after the authority makes the split ambiguous (an unescaped
 * '/' or '?' in a password can do that): the hosts are then withheld. The database is the path
 * before the query; a path holding an '@' is the tail of a password with an unescaped '/', so the
 * database is read from after its last '@', where the host part must be.
 */
function splitMongoUri(uri: string): UriParts | null {
  const m = /^(mongodb(?:\+srv)?):\/\/(.*)$/is.exec(uri.trim());
  if (!m) return null;
  const scheme = (m[1] ?? 'mongodb').toLowerCase();
  const rest = m[2] ?? '';
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const afterAuthority = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const hosts = afterAuthority.includes('@') ? undefined : authority.slice(authority.lastIndexOf('@') + 1);
  const queryStart = afterAuthority.indexOf('?');
  let path = queryStart === -1 ? afterAuthority : afterAuthority.slice(0, queryStart);
  if (path.includes('@')) {
    const tail = path.slice(path.lastIndexOf('@') + 1);
    const slash = tail.indexOf('/');
    path = slash === -1 ? '' : tail.slice(slash);
  }
  return { scheme, hosts, rawDatabase: path.startsWith('/') ? path.slice(1) : '' };
}

/**
 * Scheme, hosts and database only. The query is dropped as well as the user info because options
 * such as authMechanismProperties or tlsCertificateKeyFilePassword can carry secrets too.
 * When the URI is ambiguous (an '@' after the host part, as an unescaped password can produce),
 * the hosts are hidden rather than risk printing part of a password.
 */
export function describeMongoUri(uri: string): string {
  const parts = splitMongoUri(uri);
  if (!parts) return 'mongodb (unrecognised URI)';
  if (parts.hosts === undefined) return `${parts.scheme}://(hosts hidden: URI not safely parseable)`;
  return `${parts.scheme}://${parts.hosts}${parts.rawDatabase ? `/${parts.rawDatabase}` : ''}`;
}

/**
 * The database MONGODB_URI names in its path (percent-decoded), or undefined when it names none:
 * `mongodb://host`, `mongodb://host/` and `mongodb://host/?replicaSet=rs0` name none, and the
 * driver would then quietly use a database called "test".
 */
export function mongoUriDatabase(uri: string): string | undefined {
  const raw = splitMongoUri(uri)?.rawDatabase;
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw) || undefined;
  } catch {
    // Malformed percent-encoding: the driver refuses such a URI itself, with its own message.
    return raw;
  }
}
