"""Every API route, once, under /api/v1/ (namespace "api-v1")."""

from django.urls import path, re_path
from django.views.generic import RedirectView
from rest_framework.routers import SimpleRouter

from conect.api.docs import ApiRedocView, ApiSchemaView, ApiSwaggerView
from conect.api.exceptions import api_not_found
from conect.api.root import ApiRootView
from consultations.api import views as consultations
from consultations.proposals.api import views as proposals
from guide.api import views as guide
from registry.api import views as registry
from surveys.api import views as surveys
from surveys.feedback.api import views as feedback

app_name = "api-v1"

router = SimpleRouter()
router.register("organisations", registry.OrganisationViewSet, basename="organisation")
router.register("institutions", registry.InstitutionViewSet, basename="institution")
router.register("officials", registry.OfficialViewSet, basename="official")
router.register("structures", registry.StructureViewSet, basename="structure")
router.register("regions", registry.RegionViewSet, basename="region")
router.register("counties", registry.CountyViewSet, basename="county")
router.register("domains", registry.DomainViewSet, basename="domain")
router.register("projects", registry.ProjectViewSet, basename="project")
router.register("events", registry.EventViewSet, basename="event")
router.register("volunteering", registry.VolunteeringViewSet, basename="volunteering")
router.register("consultations", consultations.ConsultationViewSet, basename="consultation")
router.register("recommendations", consultations.RecommendationViewSet, basename="recommendation")
router.register("syntheses", consultations.SynthesisViewSet, basename="synthesis")
router.register("surveys", surveys.SurveyViewSet, basename="survey")
router.register("proposal-calls", proposals.ProposalCallViewSet, basename="proposal-call")
router.register("proposals", proposals.ProposalViewSet, basename="proposal")
router.register("feedback/services", feedback.FeedbackServiceViewSet, basename="feedback-service")
router.register("guide/sections", guide.GuideSectionViewSet, basename="guide-section")
router.register("guide/editions", guide.EditionViewSet, basename="guide-edition")
router.register("training-sessions", guide.TrainingSessionViewSet, basename="training-session")
router.register("practices", guide.PracticeViewSet, basename="practice")

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    # ReDoc is the documentation (it passes axe); Swagger UI stays, for trying requests.
    path("docs/", ApiRedocView.as_view(), name="docs"),
    path("docs/swagger/", ApiSwaggerView.as_view(), name="swagger"),
    path(
        "redoc/",
        RedirectView.as_view(pattern_name="api-v1:docs", permanent=True, query_string=True),
        name="redoc",
    ),
    path("map/", registry.MapStatisticsApiView.as_view(), name="map-statistics"),
    path("feedback/index/", feedback.FeedbackIndexView.as_view(), name="feedback-index"),
    *router.urls,
    # Any other address under /api/v1/ (ending in "/": CommonMiddleware adds the slash
    # first) gets the API's JSON 404, not the site's HTML page.
    # [\s\S]: a newline in the address is still an address under /api/v1/.
    re_path(r"^(?:[\s\S]*/)?\Z", api_not_found, name="not-found"),
]
