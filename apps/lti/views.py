"""LTI 1.3 endpoints. The LMS calls login, launch and deep-link (cross-site POSTs carrying a
signed id_token, so no CSRF token: the library's state, nonce and signature checks stand in for
it); the configuration page is staff-only; results and roster belong to the course's
instructors. Every refusal is a short page with 400 or 403, never a traceback."""

from __future__ import annotations

import functools
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from apps.accounts import backends
from apps.accounts.services import profile_get_or_create
from apps.bank.models import Topic
from apps.core.ratelimit import rate_limit
from apps.live import selectors as live_selectors
from apps.live import views as live_views
from apps.lti import keys, roster, selectors, services
from apps.lti.forms import PickForm, RegistrationForm
from apps.lti.keys import LtiNotConfigured
from apps.lti.models import Placement
from apps.lti.services import LtiError
from apps.lti.toolconf import LaunchRefused, ToolLaunch, ToolLogin

MAX_PARAM = 2000
MAX_TOKEN = 20000  # a signed id_token with its claims runs to a few kilobytes
DEEP_LINKING_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


def refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return framed_by_platforms(render(request, "lti/refused.html", {"message": message},
                                      status=status))


def framed_by_platforms(response: HttpResponse) -> HttpResponse:
    """LMSes show the deep-linking picker (and a refusal) in a frame: these pages may be framed
    by the registered platforms' origins, and by no one else. Every other page stays unframeable
    (learners open activities in a new window)."""
    origins = selectors.platform_origins()
    response.xframe_options_exempt = bool(origins)
    response._csp_replace = {"frame-ancestors": origins or ["'none'"]}
    return response


def tool_urls(request: HttpRequest) -> dict[str, str]:
    """The values an LMS administrator types in."""
    return {name: request.build_absolute_uri(reverse(f"lti:{name}"))
            for name in ("login", "launch", "deep_link", "jwks")}


@require_http_methods(["GET", "POST"])
def tool_config(request: HttpRequest) -> HttpResponse:
    """What to type into an LMS, and a form for what the LMS gives back (staff only)."""
    selectors.require_staff(request.user)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.registration_create(
                name=data["name"], issuer=data["issuer"], client_id=data["client_id"],
                deployment_ids=form.deployment_list(), auth_login_url=data["auth_login_url"],
                auth_token_url=data["auth_token_url"], keyset_url=data["keyset_url"],
                auth_audience=data["auth_audience"], by=request.user)
        except LtiError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Registered {row.name}.")
            return redirect("lti:config")
    try:
        kids = [k["kid"] for k in keys.jwks()["keys"]]
    except LtiNotConfigured:
        kids = []
    return render(request, "lti/config.html", {
        "urls": tool_urls(request), "kids": kids, "form": form,
        "registrations": selectors.registrations()},
        status=400 if request.method == "POST" else 200)


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    try:
        return JsonResponse(keys.jwks())
    except LtiNotConfigured as exc:
        return JsonResponse({"error": str(exc)}, status=503)


def _too_long(request: HttpRequest) -> bool:
    for key, value in [*request.GET.items(), *request.POST.items()]:
        if len(value) > (MAX_TOKEN if key in ("id_token", "JWT") else MAX_PARAM):
            return True
    return False


def _guard(view):
    """Bounded parameters, LTI configured, refusals rendered as pages."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _too_long(request):
            return refused(request, "A launch parameter is too long.", 400)
        try:
            keys.private_key_pem()
            return view(request, *args, **kwargs)
        except LtiNotConfigured:
            return refused(request, "LTI is not set up on this site yet (no tool key).", 503)
        except (LaunchRefused, LtiError) as exc:
            return refused(request, exc.message, exc.status)
        except (LtiException, OIDCException) as exc:  # anything the library raises unexplained
            return refused(request, f"The LTI request is not valid ({str(exc)[:200]}).", 400)
    return wrapped


@csrf_exempt
@require_http_methods(["GET", "POST"])
@rate_limit("lti_launch", methods=("GET", "POST"), by_address=True)
@_guard
def login(request: HttpRequest) -> HttpResponse:
    """OIDC login initiation (third-party initiated login): redirect to the platform's
    authorization endpoint with a fresh state (cookie) and nonce (stored)."""
    params = request.POST if request.method == "POST" else request.GET
    for name in ("iss", "login_hint", "target_link_uri"):
        if not params.get(name):
            return refused(request, f"The login request has no {name}.", 400)
    urls = tool_urls(request)
    target = params["target_link_uri"]
    paths = {urlsplit(urls["launch"]).path: urls["launch"],
             urlsplit(urls["deep_link"]).path: urls["deep_link"]}
    launch_url = paths.get(urlsplit(target).path)
    if launch_url is None:
        return refused(request, "The target link URI is not one of this tool's launch URLs.",
                       400)
    return ToolLogin(request).redirect_to_platform(launch_url)


def _validated(request: HttpRequest) -> tuple[ToolLaunch, dict]:
    launch = ToolLaunch(request)
    return launch, launch.get_launch_data()


def _sign_in(request: HttpRequest, facts: services.LaunchFacts):
    user = services.identity_user(issuer=facts.issuer, sub=facts.sub, name=facts.name)
    if not user.is_active:
        raise LaunchRefused("This account is disabled on this site.")
    auth_login(request, user, backend=backends.PATH)
    return user


@csrf_exempt
@require_POST
@rate_limit("lti_launch", by_address=True)
@_guard
def launch(request: HttpRequest) -> HttpResponse:
    """Resource link launch: a learner lands on the activity, an instructor on its results."""
    tool_launch, body = _validated(request)
    if not tool_launch.is_resource_launch():
        raise LaunchRefused("This URL takes resource link launches (LtiResourceLinkRequest) "
                            "only.", 400)
    facts = services.launch_facts(registration=tool_launch.registration_row, body=body)
    placement = services.placement_for_launch(facts=facts)
    user = _sign_in(request, facts)
    if facts.is_instructor:
        services.instructor_launch(facts=facts, placement=placement, user=user)
        if placement.kind == Placement.Kind.LIVE:
            return _instructor_live(placement, user)
        return redirect("lti:results", token=placement.token)
    time_factor = profile_get_or_create(user=user).time_factor
    if placement.kind == Placement.Kind.LIVE:
        seat, secret = services.learner_live_launch(facts=facts, placement=placement, user=user,
                                                    time_factor=time_factor)
        return live_views.seated(seat, secret)
    attempt = services.learner_launch(facts=facts, placement=placement, user=user,
                                      time_factor=time_factor)
    return redirect("quiz:play", public_id=attempt.public_id)


def _instructor_live(placement: Placement, user) -> HttpResponse:
    """The host lands on the game's host page (the projector and controls). apps.live shows a
    game's report to its host only, so another instructor of the course is refused here and
    pointed at the grades page, which every instructor of the course may see."""
    try:
        game = live_selectors.get_game_for_host(user, placement.live_game.public_id)
    except Http404:
        raise LaunchRefused("This live game is hosted by another instructor: only its host can "
                            "run it or see its report. The grades sent to the LMS are on "
                            f"/lti/results/{placement.token}/.") from None
    return redirect("live:host", public_id=game.public_id)


@csrf_exempt
@require_POST
@rate_limit("lti_launch", by_address=True)
@_guard
def deep_link(request: HttpRequest) -> HttpResponse:
    """Deep-linking request: an instructor picks what to place in the course."""
    tool_launch, body = _validated(request)
    if not tool_launch.is_deep_link_launch():
        raise LaunchRefused("This URL takes deep-linking requests (LtiDeepLinkingRequest) "
                            "only.", 400)
    facts = services.launch_facts(registration=tool_launch.registration_row, body=body)
    if not facts.is_instructor:
        raise LaunchRefused("Only an instructor of the course can add activities.")
    user = _sign_in(request, facts)
    course = services.course_for_instructor(facts=facts, user=user)
    return _picker(request, tool_launch.get_launch_id(), course, user, PickForm(), 200)


def _picker(request, launch_id, course, user, form, status):
    # `user` is the instructor of the launch (the picker's POST may come without our session
    # cookie from inside the LMS's frame, so not request.user).
    return framed_by_platforms(render(request, "lti/pick.html", {
        "launch_id": launch_id, "course": course, "form": form,
        "assignments": course.cohort.assignments.select_related("topic"),
        "games": live_selectors.unfinished_games_of(user),
        "topics": Topic.objects.order_by("name")}, status=status))


@csrf_exempt  # the picker may sit in the LMS's frame, where our cookies are third-party
@require_POST
@_guard
def deep_link_respond(request: HttpRequest) -> HttpResponse:
    """The instructor's pick: a placement, and an auto-posting form carrying the signed
    deep-linking response (a resource link with a line item) back to the LMS. The launch id is
    the credential here (unguessable, from a validated launch, spent on use)."""
    launch_id = request.POST.get("launch_id", "")
    tool_launch = ToolLaunch.restore(request, launch_id)
    body = tool_launch.get_launch_data()
    facts = services.launch_facts(registration=tool_launch.registration_row, body=body)
    if not facts.is_instructor or not tool_launch.is_deep_link_launch():
        raise LaunchRefused("Only an instructor's deep-linking launch can place activities.")
    return_url = (body.get(DEEP_LINKING_CLAIM) or {}).get("deep_link_return_url", "")
    if urlsplit(return_url).scheme not in ("https", "http"):
        raise LaunchRefused("The LMS gave no usable return URL for deep linking.", 400)
    user = services.identity_user(issuer=facts.issuer, sub=facts.sub, name=facts.name)
    course = services.course_for_instructor(facts=facts, user=user)
    form = PickForm(request.POST)
    if not form.is_valid():
        return _picker(request, launch_id, course, user, form, 400)
    data = form.cleaned_data
    try:
        placement = services.placement_create(
            course=course, by=user, kind=data["kind"], assignment_id=data["assignment"],
            title=data["title"], topic=data["topic"] or None, count=data["count"],
            due_at=timezone.now() + timedelta(days=data["days"]), game_id=data["game"])
    except LtiError as exc:
        form.add_error(None, exc.message)
        return _picker(request, launch_id, course, user, form, exc.status if exc.status != 404
                       else 400)
    tool_launch.get_session_service().data_storage.remove_value(launch_id)  # spent
    resource = (DeepLinkResource().set_url(tool_urls(request)["launch"])
                .set_title(placement.title).set_custom_params({"placement": placement.token})
                .set_lineitem(LineItem().set_label(placement.title)
                              .set_score_maximum(placement.score_maximum)
                              .set_resource_id(placement.token)))
    response = render(request, "lti/deep_link_return.html", {
        "return_url": return_url, "placement": placement,
        "jwt": tool_launch.get_deep_link().get_response_jwt([resource])})
    origin = urlsplit(return_url)
    response._csp_update = {"form-action": [f"{origin.scheme}://{origin.netloc}"]}
    return framed_by_platforms(response)


@require_GET
def results(request: HttpRequest, token: str) -> HttpResponse:
    placement = selectors.get_placement_for_instructor(request.user, token)
    return render(request, "lti/results.html", {"placement": placement,
                                                 **selectors.placement_results(placement)})


@require_POST
@rate_limit("lti_roster")
def roster_pull(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.get_course_for_instructor(request.user, course_id)
    back = request.POST.get("next", "")
    try:
        added = roster.roster_pull(course=course, by=request.user)
    except LtiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Roster pulled from the LMS: {added} new member"
                                  f"{'s' if added != 1 else ''} in {course.cohort.name}.")
    placement = Placement.objects.filter(course=course, token=back).first()
    if placement:
        return redirect("lti:results", token=placement.token)
    return redirect("lti:course", course_id=course.pk)


@require_GET
def course_page(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.get_course_for_instructor(request.user, course_id)
    return render(request, "lti/course.html", {
        "course": course, "placements": course.placements.all()[:200],
        "members": course.cohort.memberships.select_related("user")[:1000]})
