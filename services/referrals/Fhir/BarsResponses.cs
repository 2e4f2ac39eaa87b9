using Dit.Referrals.Status;
using Hl7.Fhir.Model;
using Instant = NodaTime.Instant;

namespace Dit.Referrals.Fhir;

/// <summary>
/// What we send a BaRS referrer: <c>servicerequest-response</c> messages naming the request they answer and our referral
/// as a ServiceRequest — the synchronous answer, and the news of each later change (<see cref="BarsNews"/>), which carries
/// the booked sessions as Appointments.
/// </summary>
public static class BarsResponses
{
    private const string ResponseProfile = "https://fhir.nhs.uk/StructureDefinition/BARSMessageHeader-servicerequest-response";

    /// <summary>Our referral as a ServiceRequest: its ids, and its state in FHIR's terms (our own status, and why, as notes).</summary>
    public static ServiceRequest ServiceRequestOf(Guid referralId, string? referrerReference, string status, string? detail = null) => new()
    {
        Id = referralId.ToString(),
        Identifier = [new Identifier(BarsCodes.Base + "/referral", referralId.ToString()), new Identifier { Value = referrerReference }],
        Status = status switch
        {
            ReferralStatus.Waitlisted or ReferralStatus.NeedsReview => RequestStatus.OnHold,
            ReferralStatus.Cancelled => RequestStatus.Revoked,
            ReferralStatus.Completed => RequestStatus.Completed,
            _ => RequestStatus.Active,
        },
        Intent = RequestIntent.Order,
        Subject = new ResourceReference { Display = "the patient of the referral" },
        Note = [new Annotation { Text = $"DIT referral status: {status}" }, .. detail is null ? [] : new[] { new Annotation { Text = detail } }],
    };

    /// <param name="status">Our referral's status (<see cref="ReferralStatus"/>).</param>
    public static Bundle Accepted(BarsEnvelope request, Guid referralId, string? referrerReference, string status, Instant now) =>
        Message(request.MessageId, null, ServiceRequestOf(referralId, referrerReference, status), [], now);

    /// <summary>
    /// The news of a change to a referral sent by BaRS: its state now and why (<paramref name="detail"/>: the waiting
    /// list's reason, the cancellation's, the outcome's summary), and once booked each session as an Appointment.
    /// </summary>
    public static Bundle News(BarsNews.Reply reply, Guid referralId, string? referrerReference, string status, string? detail,
        BookingView? booking, Instant now)
    {
        var serviceRequest = ServiceRequestOf(referralId, referrerReference, status, detail);
        var appointments = booking?.Sessions.Select(session => new Appointment
        {
            Id = $"{booking.CourseId}-{session.Number}",
            Status = session.Status == SessionView.Cancelled ? Appointment.AppointmentStatus.Cancelled : Appointment.AppointmentStatus.Booked,
            Description = $"Dynamic Interpersonal Therapy, session {session.Number}",
            Start = session.StartUtc,
            End = session.StartUtc.AddMinutes(Dit.Contracts.CourseShape.Standard.SessionMinutes),
            MinutesDuration = Dit.Contracts.CourseShape.Standard.SessionMinutes,
            BasedOn = [new ResourceReference($"urn:uuid:{referralId}")],
            Participant =
            [
                new Appointment.ParticipantComponent
                {
                    Actor = new ResourceReference { Display = booking.Therapist },
                    Status = ParticipationStatus.Accepted,
                },
            ],
        }).ToList() ?? [];
        return Message(reply.RequestMessageId, reply.Destination, serviceRequest, appointments, now);
    }

    private static Bundle Message(string answers, string? destination, ServiceRequest serviceRequest, List<Appointment> appointments, Instant now)
    {
        var serviceRequestUrl = $"urn:uuid:{serviceRequest.Id}";
        var header = new MessageHeader
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { Profile = [ResponseProfile] },
            Event = new Coding(BarsCodes.MessageEvents, "servicerequest-response"),
            Destination = destination is null ? [] : [new MessageHeader.MessageDestinationComponent { Endpoint = destination }],
            Source = new MessageHeader.MessageSourceComponent { Name = "DIT scheduling", Endpoint = $"{BarsCodes.Base}/$process-message" },
            Response = new MessageHeader.ResponseComponent { Identifier = answers, Code = MessageHeader.ResponseType.Ok },
            Focus = [new ResourceReference(serviceRequestUrl)],
        };
        return new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Type = Bundle.BundleType.Message,
            Timestamp = now.ToDateTimeOffset(),
            Entry =
            [
                new Bundle.EntryComponent { FullUrl = $"urn:uuid:{header.Id}", Resource = header },
                new Bundle.EntryComponent { FullUrl = serviceRequestUrl, Resource = serviceRequest },
                .. appointments.Select(a => new Bundle.EntryComponent { FullUrl = $"{BarsCodes.Base}/Appointment/{a.Id}", Resource = a }),
            ],
        };
    }
}
