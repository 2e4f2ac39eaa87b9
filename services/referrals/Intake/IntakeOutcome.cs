namespace Dit.Referrals.Intake;

public enum IntakeOutcome { Created, Repeated, Conflict }
