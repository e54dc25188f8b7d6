import styles from './plate-chip.module.css'

/** A plate drawn like a small licence plate, read as "Plate HBT-4821, NC". */
export function PlateChip({ printed, state }: { printed: string; state: string }) {
  return (
    <span class={styles.plate}>
      <span class="visually-hidden">Plate </span>
      <span class={styles.text}>{printed}</span>
      <span class="visually-hidden">, </span>
      <span class={styles.state}>{state}</span>
    </span>
  )
}
