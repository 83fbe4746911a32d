export * from './EntityCards';
export * from './entityInstance';
