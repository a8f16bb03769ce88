import { Camera, CameraOff, ScanLine } from 'lucide-react';
import { type FormEvent, useEffect, useEffectEvent, useRef, useState } from 'react';

import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useT } from '@/i18n';

import { cameraScanSupported, parseScannedCode } from './scan-code';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

/** The same code seen again within this time is the same scan, not a new one. */
const REPEAT_MS = 2500;
const FRAME_MS = 250;

/**
 * The device camera, read by the browser's BarcodeDetector (Chromium, Android, ChromeOS). Keeps
 * scanning after a hit, so a label that was not found can be followed by the next one.
 */
function CameraScanner({ onCode, onError }: { onCode: (code: string) => void; onError: () => void }) {
  const t = useT();
  const videoRef = useRef<HTMLVideoElement>(null);
  const found = useEffectEvent(onCode);
  const failed = useEffectEvent(onError);
  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = { code: '', at: 0 };
    const Detector = (window as unknown as { BarcodeDetector: BarcodeDetectorConstructor }).BarcodeDetector;
    const detector = new Detector({ formats: ['qr_code'] });
    const tick = async (video: HTMLVideoElement) => {
      if (stopped) return;
      try {
        for (const barcode of await detector.detect(video)) {
          const code = parseScannedCode(barcode.rawValue);
          if (!code) continue;
          const now = Date.now();
          if (code !== last.code || now - last.at > REPEAT_MS) found(code);
          last = { code, at: now };
          break;
        }
      } catch {
        // A frame the detector could not read; the next one may do.
      }
      if (!stopped) timer = setTimeout(() => void tick(video), FRAME_MS);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        const video = videoRef.current;
        if (stopped || !video) return;
        video.srcObject = media;
        await video.play();
        void tick(video);
      })
      .catch(() => {
        if (!stopped) failed();
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);
  return (
    <div className="relative overflow-hidden rounded-lg bg-slate-950">
      <video ref={videoRef} muted playsInline className="aspect-[4/3] w-full object-cover" aria-label={t('inventory.scan.cameraView')} />
      {/* The aiming frame: where to hold the label. */}
      <div
        className="pointer-events-none absolute inset-[18%] rounded-xl border-2 border-white/80 shadow-[0_0_0_999px_rgb(2_6_23/0.35)]"
        aria-hidden
      />
    </div>
  );
}

/**
 * Reads a spool's code: with the device camera where the browser can (BarcodeDetector), and always
 * from a text field a handheld scanner types into (it ends with Enter). `onCode` gets the code as
 * ODIN stores it; `error` is the caller's answer (not found, refused), shown under the field.
 */
export function ScanDialog({
  open,
  title,
  description,
  busy = false,
  error = null,
  onClose,
  onCode,
}: {
  open: boolean;
  title: string;
  description?: string;
  busy?: boolean;
  error?: string | null;
  onClose: () => void;
  onCode: (code: string) => void;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [camera, setCamera] = useState<'off' | 'on' | 'failed'>('off');
  const supported = cameraScanSupported();

  function close() {
    setText('');
    setProblem(null);
    setCamera('off');
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = parseScannedCode(text);
    if (!code) {
      setProblem(t('inventory.scan.notACode'));
      return;
    }
    setProblem(null);
    setText('');
    onCode(code);
  }

  return (
    <Dialog open={open} onClose={close} title={title}>
      <div className="space-y-4">
        {description ? <p className="text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
        {supported ? (
          camera === 'on' ? (
            <div className="space-y-2">
              <CameraScanner
                onCode={(code) => {
                  setProblem(null);
                  onCode(code);
                }}
                onError={() => setCamera('failed')}
              />
              <Button size="sm" variant="ghost" onClick={() => setCamera('off')}>
                <CameraOff className="size-4" aria-hidden />
                {t('inventory.scan.stopCamera')}
              </Button>
            </div>
          ) : (
            <div className="space-y-2">
              <Button onClick={() => setCamera('on')} className="w-full">
                <Camera className="size-4" aria-hidden />
                {t('inventory.scan.useCamera')}
              </Button>
              {camera === 'failed' ? (
                <p className="text-xs text-amber-700 dark:text-amber-400">{t('inventory.scan.cameraFailed')}</p>
              ) : null}
            </div>
          )
        ) : (
          <p className="text-xs text-slate-500 dark:text-slate-400">{t('inventory.scan.noCamera')}</p>
        )}
        <form method="post" onSubmit={submit} className="space-y-3" noValidate>
          <Field label={t('inventory.scan.code')} hint={t('inventory.scan.codeHint')} error={problem}>
            {(id) => (
              <Input
                id={id}
                name="spool-code"
                autoFocus
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                placeholder="SPL-…"
                value={text}
                onChange={(event) => setText(event.target.value)}
              />
            )}
          </Field>
          {error ? <FormError>{error}</FormError> : null}
          <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
            <Button onClick={close}>{t('common.actions.cancel')}</Button>
            <Button type="submit" variant="primary" busy={busy} disabled={text.trim() === ''}>
              <ScanLine className="size-4" aria-hidden />
              {t('inventory.scan.submit')}
            </Button>
          </div>
        </form>
      </div>
    </Dialog>
  );
}
