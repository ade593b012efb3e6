export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`
