import type { Messages, MessagesShape } from '../en';
import auth from './auth';
import catalogue from './catalogue';
import common from './common';
import dashboard from './dashboard';
import errors from './errors';
import history from './history';
import inventory from './inventory';
import printers from './printers';
import settings from './settings';
import setup from './setup';

const messages: MessagesShape = { common, auth, setup, dashboard, printers, history, inventory, catalogue, settings, errors };
// The English tree's literal types are plain strings, so a complete German tree is also a Messages.
export const de = messages as Messages;
