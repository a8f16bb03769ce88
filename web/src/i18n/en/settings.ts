// Strings of the settings pages. Add a key here and the same key in ../de/settings.ts.
export default {
  title: 'Settings',
};
