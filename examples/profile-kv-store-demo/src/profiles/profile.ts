/** A user profile as the original demo stored it. */
export interface Profile {
  id: string;
  displayName: string;
  email: string | null;
  bio: string | null;
  tags: string[];
  createdUtc: string;
  updatedUtc: string;
}

/** The fields a client sends with `PUT /profiles/:id`. */
export interface ProfileInput {
  displayName: string;
  email: string | null;
  bio: string | null;
  tags: string[];
}
