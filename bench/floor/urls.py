from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def hit(request):
    if request.method != "POST":
        return HttpResponse(status=405)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO floor_hit (body) VALUES (%s)", [request.body[:200].decode()])
    return JsonResponse({"ok": True})


urlpatterns = [path("hit/", hit)]
