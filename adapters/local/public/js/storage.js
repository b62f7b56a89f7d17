/** What the page remembers in localStorage: the acting user, each user's channel. */

export const USER_KEY = 'ceptoar.local.user';
export const CHANNEL_KEY = (userId) => `ceptoar.local.channel.${userId}`;
export const storage = {
  get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Private mode or storage full: the choice is simply not remembered.
      return;
    }
  },
};
