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
  slotNotFound: 'Diesen Filament-Slot hat der Drucker nicht.',
  filamentNotFound: 'Dieses Filament ist nicht mehr in der Bibliothek.',
  filamentInUse: 'Es gibt noch Spulen mit diesem Filament. Archiviere sie oder gib ihnen zuerst ein anderes Filament.',
  spoolNotFound: 'Diese Spule gibt es nicht mehr.',
  spoolQrNotFound: 'Keine Spule hat diesen Code. Prüfe das Etikett oder lege die Spule zuerst an.',
  spoolWeightInvalid: 'Das Gewicht passt nicht zu dieser Spule: Prüfe die Waage, das Leerspulengewicht und das Startgewicht.',
  spoolNotLoaded: 'Diese Spule steckt in keinem Drucker.',
  spoolNotActive: 'Diese Spule ist leer oder archiviert; sie kann nicht eingelegt oder verbraucht werden.',
  rfidTagTaken: 'Eine andere Spule trägt diesen RFID-Tag schon.',
  colourInvalid: 'ODIN kann diese Farbe nicht lesen. Nimm #RRGGBB, #RGB, rgb(…) oder einen Farbnamen wie „orange“.',
  tooManyLabels: 'Zu viele Etiketten auf einmal. Drucke sie in kleineren Stapeln.',
  labelSizeUnknown: 'Diese Etikettengröße druckt ODIN nicht.',
  spoolmanNotConfigured: 'Spoolman ist nicht verbunden. Ein Admin kann die Adresse unter Einstellungen → Allgemein eintragen.',
  spoolmanUnreachable: 'Spoolman hat nicht geantwortet. Prüfe, ob es läuft, und die Adresse unter Einstellungen → Allgemein.',
};
export default de;
