// Strings of the printers pages. Add a key here and the same key in ../de/printers.ts.
export default {
  title: 'Printers',
};
