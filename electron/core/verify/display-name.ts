/** "Last, First" as the Users table shows names (preferred name first where there is one). */
export function displayNameOf(row: {
  firstName: string;
  lastName: string;
  preferredName: string | null;
}): string {
  const first = row.preferredName ?? row.firstName;
  if (row.lastName === '') return first;
  if (first === '') return row.lastName;
  return `${row.lastName}, ${first}`;
}
