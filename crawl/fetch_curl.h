/* Why a libcurl transfer failed, as a fetch_reason: one classification for
 * the live fetch and the archive fetch (each keeps its own retry policy). */
#ifndef CRAWL_FETCH_CURL_H
#define CRAWL_FETCH_CURL_H

#include <curl/curl.h>

#include "crawl/fetch.h"

fetch_reason fetch_curl_reason(CURLcode rc);

#endif
