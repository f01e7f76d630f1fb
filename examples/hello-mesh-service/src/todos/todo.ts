/** A to-do item of the in-memory sample list. */
export interface Todo {
  id: string;
  title: string;
  completed: boolean;
}
