import type en from '../en/settings';
import type { MessagesShape } from '../en';

const de: MessagesShape<typeof en> = {
  title: 'Settings',
};
export default de;
