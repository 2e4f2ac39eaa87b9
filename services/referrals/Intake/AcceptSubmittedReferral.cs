using Dit.Referrals.Keys;

namespace Dit.Referrals.Intake;

/// <summary>
/// Intake for referring systems that are on the bus themselves: <see cref="SubmitReferral"/> goes
/// through the same validation and idempotency as the HTTP API; a rejected one is answered with
/// <see cref="ReferralRejected"/> naming the fields, and nothing is stored.
/// </summary>
public sealed class AcceptSubmittedReferral(ReferralsDatabase database, ReferralIntake intake, IntakeRules rules, IClock clock)
    : IConsumer<SubmitReferral>
{

    public async Task Consume(ConsumeContext<SubmitReferral> context)
    {
        var command = context.Message;
        var now = clock.GetCurrentInstant();
        Dictionary<string, string[]> errors;
        if (!await Referrers.Holders.IsActiveAsync(database, command.ReferrerId))
        {
            errors = new() { ["referrerId"] = ["Unknown or revoked referrer."] };
        }
        else
        {
            var (referral, invalid) = ReferralValidator.Validate(ToRequest(command), now.InZone(CourseShape.ServiceZone).Date, rules);
            if (referral is not null)
            {
                var result = await intake.SubmitAsync(command.ReferrerId, referral,
                    new Auditor(ApiKeyAuthentication.Referrer, command.ReferrerId, null), context.CancellationToken);
                if (result.Outcome != IntakeOutcome.Conflict) return;
                invalid = new() { ["referrerReference"] = [$"Already used for a different referral ({result.ReferralId})."] };
            }
            errors = invalid;
        }
        // The rejection goes through the outbox, once per command, like every other message we send.
        await database.ConsumeOnceAsync(context, nameof(AcceptSubmittedReferral), clock, (connection, transaction) =>
            Outbox.AddAsync(connection, transaction,
                new ReferralRejected(command.CommandId, command.ReferrerId, command.ReferrerReference, errors, now.ToDateTimeOffset()), now));
    }

    /// <summary>The command in the shape of an HTTP body, so both intakes share one validator.</summary>
    private static ReferralRequest ToRequest(SubmitReferral command) => new(
        command.ReferrerReference,
        command.Patient is null ? null : new PatientRequest(command.Patient.NhsNumber, command.Patient.GivenName, command.Patient.FamilyName,
            command.Patient.DateOfBirth.ToString("yyyy-MM-dd"), command.Patient.Email, command.Patient.Mobile),
        command.Availability?.Select(w => new AvailabilityRequest(w.Day.ToString(), w.From.ToString("HH:mm"), w.To.ToString("HH:mm"))).ToList(),
        command.EarliestStart.ToString("yyyy-MM-dd"),
        command.TimeZone,
        command.Risk is null ? null : new RiskRequest(command.Risk.CurrentRisk, command.Risk.Notes),
        command.Consent is null ? null : new ConsentRequest(command.Consent.Email, command.Consent.Sms, command.Consent.Questionnaires),
        command.PresentingProblem);
}
