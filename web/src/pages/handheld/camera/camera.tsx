import { useEffect, useRef, useState } from 'preact/hooks'
import { Button } from '../../../components/button/button.tsx'
import { shotFromCanvas, type Region, type Shot } from '../photo.ts'
import styles from './camera.module.css'

type CameraState =
  | { status: 'off' }
  | { status: 'starting' }
  | { status: 'live' }
  | { status: 'failed'; message: string }

interface Props {
  onShot: (shot: Shot) => void
  busy: boolean
}

/**
 * The phone's rear camera with a plate-shaped guide over it. The photo is the whole frame; the
 * guide's box, worked out in the frame's own pixels (the video is shown cropped to fill the
 * viewfinder), goes with it so the reader looks there first.
 */
export function Camera({ onShot, busy }: Props) {
  const video = useRef<HTMLVideoElement>(null)
  const guide = useRef<HTMLDivElement>(null)
  const stream = useRef<MediaStream | null>(null)
  const [state, setState] = useState<CameraState>({ status: 'off' })
  const supported = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia

  const stop = () => {
    for (const track of stream.current?.getTracks() ?? []) {
      track.stop()
    }
    stream.current = null
  }
  useEffect(() => stop, [])

  const start = async () => {
    setState({ status: 'starting' })
    try {
      const media = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          facingMode: { ideal: 'environment' },
          width: { ideal: 1920 },
          height: { ideal: 1080 },
        },
      })
      stream.current = media
      if (video.current) {
        video.current.srcObject = media
        await video.current.play()
      }
      setState({ status: 'live' })
    } catch (err) {
      stop()
      setState({ status: 'failed', message: cameraProblem(err) })
    }
  }

  const capture = () => {
    const v = video.current
    const g = guide.current
    if (!v || !g || v.videoWidth === 0) {
      return
    }
    const canvas = document.createElement('canvas')
    canvas.width = v.videoWidth
    canvas.height = v.videoHeight
    canvas.getContext('2d')?.drawImage(v, 0, 0)
    onShot(shotFromCanvas(canvas, guideInFrame(v, g)))
  }

  if (!supported) {
    return (
      <p class={styles.note}>
        This browser cannot open the camera here: take the photo below instead.
      </p>
    )
  }
  const live = state.status === 'live'
  return (
    <div class={styles.camera}>
      <div class={live ? styles.viewfinder : `${styles.viewfinder} ${styles.hidden}`}>
        <video ref={video} class={styles.video} playsInline muted aria-label="Camera view" />
        <div ref={guide} class={styles.guide} aria-hidden="true" />
        <p class={styles.hint}>Fit the plate inside the box</p>
      </div>
      {state.status === 'failed' && (
        <p class={styles.note} role="alert">
          {state.message}
        </p>
      )}
      <div class={styles.buttons}>
        {live ? (
          <>
            <Button onClick={capture} busy={busy}>
              Take photo and check
            </Button>
            <Button
              variant="quiet"
              onClick={() => {
                stop()
                setState({ status: 'off' })
              }}
            >
              Close camera
            </Button>
          </>
        ) : (
          <Button onClick={() => void start()} busy={state.status === 'starting'}>
            Open camera
          </Button>
        )}
      </div>
    </div>
  )
}

/** The guide's box in the video frame's pixels, for a video shown with object-fit: cover. */
export function guideInFrame(v: HTMLVideoElement, g: HTMLElement): Region {
  const shown = v.getBoundingClientRect()
  const box = g.getBoundingClientRect()
  const k = Math.max(shown.width / v.videoWidth, shown.height / v.videoHeight)
  const offsetX = (shown.width - v.videoWidth * k) / 2
  const offsetY = (shown.height - v.videoHeight * k) / 2
  return {
    x: Math.max(0, (box.left - shown.left - offsetX) / k),
    y: Math.max(0, (box.top - shown.top - offsetY) / k),
    w: Math.min(v.videoWidth, box.width / k),
    h: Math.min(v.videoHeight, box.height / k),
  }
}

function cameraProblem(err: unknown): string {
  const name = err instanceof DOMException ? err.name : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'The camera is not allowed for Curbline. Allow it in the browser’s site settings, or take the photo below.'
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return 'No camera was found. Take the photo below, or type the plate.'
  }
  return 'The camera could not be opened. Take the photo below, or type the plate.'
}
