import { z } from 'zod';

/** TLP 2.0 (FIRST, August 2022). Labels stay in English capitals in every language. */
export const TLP_LEVELS = ['TLP:RED', 'TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR'] as const;
export const Tlp = z.enum(TLP_LEVELS);
export type Tlp = z.infer<typeof Tlp>;

/** FIRST's colours; every label is printed on black. */
export const TLP_COLOUR: Record<Tlp, string> = {
  'TLP:RED': '#FF2B2B',
  'TLP:AMBER+STRICT': '#FFC000',
  'TLP:AMBER': '#FFC000',
  'TLP:GREEN': '#33FF00',
  'TLP:CLEAR': '#FFFFFF',
};

/** RED goes to named people only; never into a channel. */
export function tlpAllowsChannelPost(tlp: Tlp): boolean {
  return tlp !== 'TLP:RED';
}

/** AMBER+STRICT and RED never go into a channel shared beyond the member's organisation. */
export function tlpForbidsSharedChannel(tlp: Tlp): boolean {
  return tlp === 'TLP:RED' || tlp === 'TLP:AMBER+STRICT';
}

/** NISC severity scale for critical-infrastructure service outages (2018-07-25). */
export const SEVERITIES = ['level4', 'level3', 'level2', 'level1', 'level0'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const CATEGORIES = ['vulnerability', 'threat', 'incident', 'outage', 'notice'] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const SOURCES = ['nisc', 'jpcert', 'ipa', 'mhlw', 'police', 'member', 'other'] as const;
export const Source = z.enum(SOURCES);
export type Source = z.infer<typeof Source>;
