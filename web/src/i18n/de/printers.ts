import type en from '../en/printers';
import type { MessagesShape } from '../en';

const de: MessagesShape<typeof en> = {
  title: 'Printers',
};
export default de;
