import type { Targets } from '../domain/advisory.js';
import { actorKey, type Platform } from '../domain/platform.js';
import { BotError } from '../errors.js';
import type { ChannelEntry, Contact, DirectoryFile, Group, LocalisedName, Organisation, SpecialChannel } from './schema.js';

export interface Recipient {
  organisation: Organisation;
  channel: ChannelEntry;
}

export interface ResolvedTargets {
  recipients: Recipient[];
  /** Targeted organisations that have no channel: they can only be reached by phone or e-mail. */
  withoutChannel: Organisation[];
}

type ActorLike = { platform: Platform; userId: string };

const channelKey = (platform: Platform, id: string): string => `${platform}/${id}`;

/**
 * The member directory, read-only once built. Every lookup is a map access: a sector
 * may have ~1,800 organisations and lookups happen once per delivery or button press.
 */
export class Directory {
  readonly sector: { id: string; name: LocalisedName };

  readonly #organisations: readonly Organisation[];
  readonly #groups: readonly Group[];
  readonly #orgById: ReadonlyMap<string, Organisation>;
  readonly #orgIndex: ReadonlyMap<string, number>;
  readonly #groupById: ReadonlyMap<string, Group>;
  readonly #orgByChannel: ReadonlyMap<string, Organisation>;
  readonly #contacts: ReadonlyMap<string, readonly Contact[]>;
  readonly #secretariatUsers: ReadonlySet<string>;
  readonly #oncallUsers: ReadonlySet<string>;
  readonly #secretariatChannels: readonly SpecialChannel[];
  readonly #secretariatName: LocalisedName;
  readonly #oncallChannels: readonly SpecialChannel[];

  constructor(file: DirectoryFile) {
    // Frozen because one instance is shared by every request; a caller mutating a
    // contact list must not change who the next escalation phones.
    const data = deepFreeze(structuredClone(file));
    this.sector = data.sector;
    this.#organisations = data.organisations;
    this.#groups = data.groups;
    this.#orgById = new Map(data.organisations.map((o) => [o.id, o]));
    this.#orgIndex = new Map(data.organisations.map((o, i) => [o.id, i]));
    this.#groupById = new Map(data.groups.map((g) => [g.id, g]));
    this.#orgByChannel = new Map(data.organisations.flatMap((o) => o.channels.map((c) => [channelKey(c.platform, c.id), o] as const)));
    this.#contacts = new Map(data.organisations.map((o) => [o.id, [...o.contacts].sort((a, b) => a.order - b.order)]));
    this.#secretariatUsers = new Set(data.secretariat.users.map(actorKey));
    this.#oncallUsers = new Set(data.oncall.users.map(actorKey));
    this.#secretariatChannels = data.secretariat.channels;
    this.#secretariatName = data.secretariat.name;
    this.#oncallChannels = data.oncall.channels;
  }

  organisation(id: string): Organisation | undefined {
    return this.#orgById.get(id);
  }

  organisations(): readonly Organisation[] {
    return this.#organisations;
  }

  groups(): readonly Group[] {
    return this.#groups;
  }

  /** What the organisation's name is sorted by in Japanese order: its reading, else its Japanese name (else its id). */
  readingOf(id: string): string {
    const o = this.organisation(id);
    return o?.kana ?? o?.name.ja ?? id;
  }

  /** The groups an organisation belongs to (ids), in the directory's order. */
  groupsOf(id: string): string[] {
    return this.#groups.filter((g) => g.members.includes(id)).map((g) => g.id);
  }

  resolveTargets(targets: Targets): ResolvedTargets {
    const named = new Set<string>();
    const unknownGroups: string[] = [];
    const unknownMembers: string[] = [];
    for (const id of targets.groups) {
      const group = this.#groupById.get(id);
      if (group) group.members.forEach((m) => named.add(m));
      else unknownGroups.push(id);
    }
    for (const id of targets.members) {
      if (this.#orgById.has(id)) named.add(id);
      else unknownMembers.push(id);
    }
    // All unknown ids at once, so the secretariat fixes the form in one go.
    if (unknownGroups.length > 0 || unknownMembers.length > 0) {
      const list = [...unknownGroups.map((g) => `group "${g}"`), ...unknownMembers.map((m) => `member "${m}"`)].join(', ');
      throw new BotError('DIRECTORY.UNKNOWN_TARGET', `not in the member directory: ${list}`, { unknownGroups, unknownMembers });
    }

    const selected = this.#selectInOrder(targets, named);
    const recipients: Recipient[] = [];
    const withoutChannel: Organisation[] = [];
    for (const organisation of selected) {
      const seen = new Set<string>();
      for (const channel of organisation.channels) {
        const key = channelKey(channel.platform, channel.id);
        if (seen.has(key)) continue;
        seen.add(key);
        recipients.push({ organisation, channel });
      }
      if (seen.size === 0) withoutChannel.push(organisation);
    }
    return { recipients, withoutChannel };
  }

  isSecretariat(actor: ActorLike): boolean {
    return this.#secretariatUsers.has(actorKey(actor));
  }

  isOncall(actor: ActorLike): boolean {
    return this.#oncallUsers.has(actorKey(actor));
  }

  /** The organisation's name for messages; its id when it has left the directory since the advisory went out. */
  memberName(id: string): LocalisedName {
    return this.organisation(id)?.name ?? { ja: id, en: id };
  }

  /** Who the phone staff say they are calling for. */
  secretariatName(): LocalisedName {
    return this.#secretariatName;
  }

  secretariatChannels(): readonly SpecialChannel[] {
    return this.#secretariatChannels;
  }

  oncallChannels(): readonly SpecialChannel[] {
    return this.#oncallChannels;
  }

  /** Contacts in call order. Empty for an unknown id: the organisation may have left since the advisory was issued. */
  contactsInOrder(orgId: string): Contact[] {
    return [...(this.#contacts.get(orgId) ?? [])];
  }

  organisationOfChannel(platform: Platform, channelId: string): Organisation | undefined {
    return this.#orgByChannel.get(channelKey(platform, channelId));
  }

  #selectInOrder(targets: Targets, named: ReadonlySet<string>): Organisation[] {
    if (!targets.allMembers && !targets.observers) {
      // Only named organisations: sort the few chosen instead of scanning the whole sector.
      return [...named]
        .sort((a, b) => (this.#orgIndex.get(a) ?? 0) - (this.#orgIndex.get(b) ?? 0))
        .flatMap((id) => this.#orgById.get(id) ?? []);
    }
    return this.#organisations.filter(
      (o) => named.has(o.id) || (targets.allMembers && o.kind === 'member') || (targets.observers && o.kind === 'observer'),
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
