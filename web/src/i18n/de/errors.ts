import type { MessagesShape } from '../en';
import type en from '../en/errors';

const de: MessagesShape<typeof en> = {
  network: 'Der ODIN-Server ist nicht erreichbar. Prüfe deine Netzwerkverbindung und ob der Server läuft.',
  server: 'Der Server hatte ein Problem (HTTP {status}). Versuch es gleich noch einmal.',
  encryptionKey:
    'Der Server kann ein gespeichertes Drucker-Passwort nicht lesen: Sein ENCRYPTION_KEY ist nicht der, mit dem es gespeichert wurde. Ein Admin muss den Schlüssel wiederherstellen.',
  session: 'Deine Sitzung ist abgelaufen. Melde dich erneut an.',
  forbidden: 'Deine Rolle darf das nicht. Frag einen Admin, wenn du es brauchst.',
  printerNotFound: 'Diesen Drucker gibt es nicht mehr.',
  printerOffline: 'Der Drucker ist offline. Prüfe, ob er eingeschaltet und vom Server aus erreichbar ist.',
  printerDisabled: 'Der Drucker ist deaktiviert. Aktiviere ihn in seinen Einstellungen, um ihn zu steuern.',
  printerNotConfigured: 'Für diesen Drucker ist keine Verbindung eingerichtet. Lege eine in seinen Einstellungen an.',
  unsupported: 'Das kann dieser Drucker nicht.',
  commandRefused: 'Der Drucker hat abgelehnt: {detail}',
  printerTimeout: 'Der Drucker hat nicht rechtzeitig geantwortet. Prüfe ihn und versuch es erneut.',
  commandFailed: 'Der Befehl hat den Drucker nicht erreicht: {detail}',
  fileEmpty: 'Die Datei ist leer.',
  fileTooLarge: 'Die Datei ist zu groß.',
  imageType: 'Diese Art von Bild wird hier nicht angenommen.',
  unsafeSvg: 'Dieses SVG enthält Skripte oder Verweise auf andere Dateien; das ist nicht erlaubt.',
};
export default de;
