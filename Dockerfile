# The dashboard in a container: the same requirements.txt as Community Cloud, run from a copy of
# the checkout as an unprivileged user. No container daemon was available where this was written:
# CI (.ci/hosting_check.py) runs this file's ENV, pip install and CMD steps in a clean venv
# instead; README.md ("Hosting") says exactly what was and was not run.
#
#   docker build -t refusal-monitor .
#   docker run -p 8501:8501 -v "$PWD/data:/app/data" refusal-monitor
FROM python:3.11-slim

# REFUSAL_MONITOR_DATA: the dataset folder the pages show and /app/static/data/ serves.
# Usage statistics off: readers' browsers must contact no host but this one.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 REFUSAL_MONITOR_DATA=/app/data STREAMLIT_BROWSER_GATHER_USAGE_STATS=false STREAMLIT_SERVER_HEADLESS=true STREAMLIT_SERVER_ENABLE_STATIC_SERVING=true STREAMLIT_SERVER_ADDRESS=0.0.0.0 STREAMLIT_SERVER_PORT=8501

RUN useradd --create-home --uid 10001 monitor
WORKDIR /app
COPY requirements.txt .
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY --chown=monitor:monitor . .
USER monitor

VOLUME /app/data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ['STREAMLIT_SERVER_PORT'], timeout=4)"

# Copy the mounted dataset into the served folder (a volume lacking a codebook or LICENSE keeps
# the image's copies, with one warning line), then run the app through its gzip entry (docs/HOSTING.md).
CMD ["sh", "-c", "python -m store.datapackage --data \"$REFUSAL_MONITOR_DATA\" --served-only --quiet || echo 'warning: /app/static/data/ keeps the image copy of the dataset'; exec python -m streamlit run dashboard/asgi.py"]
