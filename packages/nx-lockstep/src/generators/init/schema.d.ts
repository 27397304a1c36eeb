export interface InitGeneratorSchema {
  skipFormat?: boolean;
  /** Passed by `nx add`; nx-lockstep installs no packages, so it is ignored. */
  keepExistingVersions?: boolean;
}
