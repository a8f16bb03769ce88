import type { MessagesShape } from '../en';
import type en from '../en/auth';

const de: MessagesShape<typeof en> = {
  title: 'Anmelden',
  login: {
    title: 'Anmelden',
    subtitle: 'Willkommen zurück. Melde dich an, um deine Farm zu sehen.',
    username: 'Benutzername',
    password: 'Passwort',
    submit: 'Anmelden',
    submitting: 'Anmeldung läuft…',
    forgot: 'Passwort vergessen? Ein Admin kann dir unter Einstellungen → Benutzer ein neues setzen.',
    support: 'Hilfe holen',
    serverUnreachable:
      'Der ODIN-Server antwortet gerade nicht. Du kannst es trotzdem versuchen; klappt es nicht, prüfe, ob der Server läuft.',
  },
  password: {
    show: 'Passwort anzeigen',
    hide: 'Passwort verbergen',
  },
  policy: {
    intro: 'Dein Passwort braucht:',
    length: 'mindestens 8 Zeichen',
    upper: 'einen Großbuchstaben (A–Z)',
    lower: 'einen Kleinbuchstaben (a–z)',
    digit: 'eine Ziffer (0–9)',
    met: 'erfüllt',
    missing: 'fehlt noch',
    tooLong: 'Das ist zu lang: höchstens 72 Byte (weniger, wenn du Umlaute oder Emoji verwendest).',
  },
  errors: {
    credentials: 'Benutzername oder Passwort ist falsch. Prüfe beides (Groß- und Kleinschreibung zählt) und versuch es noch einmal.',
    disabled: 'Dieses Konto wurde deaktiviert. Bitte einen Admin deiner Farm, es wieder zu aktivieren.',
    locked: {
      one: 'Dieses Konto ist nach zu vielen falschen Passwörtern noch 1 Minute gesperrt. Warte so lange und versuch es dann mit dem richtigen Passwort erneut.',
      other:
        'Dieses Konto ist nach zu vielen falschen Passwörtern noch {count} Minuten gesperrt. Warte so lange und versuch es dann mit dem richtigen Passwort erneut.',
    },
    rateLimited: {
      one: 'Zu viele fehlgeschlagene Anmeldungen aus deinem Netzwerk. Warte 1 Minute und versuch es dann erneut.',
      other: 'Zu viele fehlgeschlagene Anmeldungen aus deinem Netzwerk. Warte {count} Minuten und versuch es dann erneut.',
    },
    incomplete: 'Gib deinen Benutzernamen und dein Passwort ein.',
  },
};
export default de;
