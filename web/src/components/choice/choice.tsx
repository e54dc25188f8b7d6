import styles from './choice.module.css'

/**
 * Options drawn as cards, for a fieldset of radios or checkboxes: `choices` on the fieldset,
 * `legend`, `options` on the list, and on each item a label of class `option` holding its input,
 * then `optionText` (`optionName`, `optionDetail`) and perhaps an `optionPrice`.
 */
export { styles as choiceStyles }
